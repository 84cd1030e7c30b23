/**
 * Pulls package descriptions out of the local apt lists. `apt-cache dumpavail` gives every
 * package's synopsis; current Debian releases ship long descriptions only in the `Translation-en`
 * indexes, which Docker images usually skip (`Acquire::Languages "none"`), hence the explicit
 * `Acquire::Languages=en` below.
 *
 * @example
 * if (process.env.EMBEDLINE_CORPUS_APT_UPDATE === '1') await updateAptLists();
 * const packages = await readAptDescriptions();
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mergeDescriptions, parseDescriptions, type PackageText } from './debianDescriptions.js';

const ENGLISH = ['-o', 'Acquire::Languages=en'];
const APT_HELPER = '/usr/lib/apt/apt-helper';
const UPDATE_HINT =
  'run `apt-get -o Acquire::Languages=en update` as root (or set EMBEDLINE_CORPUS_APT_UPDATE=1 to let the builder run it)';

export class AptListsMissingError extends Error {
  override readonly name = 'AptListsMissingError';
}

/** Refreshes the apt lists with the English translation indexes; needs root and network to a mirror. */
export async function updateAptLists(): Promise<void> {
  await run('apt-get', [...ENGLISH, '-q', 'update'], 'inherit');
}

/** Every package with a description, merged from dumpavail and the Translation-en indexes. */
export async function readAptDescriptions(): Promise<Map<string, PackageText>> {
  const available = parseDescriptions(await run('apt-cache', ['dumpavail']));
  if (available.size === 0) {
    throw new AptListsMissingError(`apt-cache dumpavail listed no packages: the apt lists are empty; ${UPDATE_HINT}.`);
  }
  const translations = await Promise.all((await translationFiles()).map(readIndexFile));
  const merged = mergeDescriptions(...translations, available);
  const described = [...merged.values()].filter((p) => p.paragraphs.length > 0).length;
  // Without Translation-en only a stray package or two carries a long description: not a corpus.
  if (described < merged.size / 10) {
    throw new AptListsMissingError(
      `only ${described} of ${merged.size} packages have a long description (is a Translation-en index on disk?); ${UPDATE_HINT}.`,
    );
  }
  return merged;
}

async function translationFiles(): Promise<string[]> {
  const listed = await run('apt-get', [...ENGLISH, 'indextargets', '--format', '$(FILENAME)', 'Identifier: Translations']);
  return listed
    .split('\n')
    .map((line) => line.trim())
    .filter((file) => /Translation-en(\.|$)/.test(file) && existsSync(file));
}

/** apt-helper decompresses whatever apt stored (lz4, gz, xz, zstd), which node's stdlib cannot all do. */
async function readIndexFile(file: string): Promise<Map<string, PackageText>> {
  return parseDescriptions(await run(APT_HELPER, ['cat-file', file]));
}

function run(command: string, args: readonly string[], stdout: 'pipe' | 'inherit' = 'pipe'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', stdout === 'inherit' ? process.stderr : 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (cause) =>
      reject(new AptListsMissingError(`could not run ${command}: is this a Debian-based system with apt?`, { cause })),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
  });
}
