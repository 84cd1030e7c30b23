import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { MODEL_FILES } from './catalogue.js';
import { sha256File } from './fileDigest.js';
import type { ModelManifest } from './ModelStore.js';

export interface IntegrityProblem {
  readonly file: string;
  readonly expected: string;
  /** null when the file is missing. */
  readonly actual: string | null;
}

/**
 * Sums already computed in this process, keyed by path, size, mtime and inode: a runtime that
 * starts many times (tests, a device restarted after a crash) hashes each file once, while a
 * file replaced or rewritten since is hashed again.
 */
const knownSums = new Map<string, string>();

async function sumOf(path: string): Promise<string | null> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return null;
  const key = `${path}\0${info.size}\0${info.mtimeMs}\0${info.ino}`;
  let sum = knownSums.get(key);
  if (!sum) {
    sum = await sha256File(path);
    knownSums.set(key, sum);
  }
  return sum;
}

/**
 * Checks files of a model directory (paths relative to it, or every recorded file when `files` is
 * omitted) against the sha256 its manifest.json recorded when they were pulled or built. A file
 * the manifest does not record is not checked: nothing says what it should be.
 */
export async function checkModelFiles(dir: string, files?: readonly string[]): Promise<IntegrityProblem[]> {
  const manifest = JSON.parse(await readFile(join(dir, MODEL_FILES.manifest), 'utf8')) as ModelManifest;
  const wanted = files ?? Object.keys(manifest.files);
  const problems: IntegrityProblem[] = [];
  for (const file of wanted) {
    const record = manifest.files[file];
    if (!record) continue;
    const actual = await sumOf(join(dir, file));
    if (actual !== record.sha256) problems.push({ file, expected: record.sha256, actual });
  }
  return problems;
}

/**
 * Fails with EMBEDLINE_MODEL_INTEGRITY when any of the files is missing or no longer matches
 * its recorded sha256, naming each file and the fix; a model that fails here must not be loaded.
 *
 * @example
 * await requireIntactModelFiles('all-MiniLM-L6-v2', dir, ['tokenizer.json', 'onnx/model.onnx']);
 */
export async function requireIntactModelFiles(name: string, dir: string, files?: readonly string[]): Promise<void> {
  const problems = await checkModelFiles(dir, files);
  if (problems.length === 0) return;
  const described = problems.map((p) => `${p.file} ${p.actual === null ? 'is missing' : `has sha256 ${p.actual.slice(0, 12)}…, expected ${p.expected.slice(0, 12)}…`}`);
  throw new EmbedlineError(
    'EMBEDLINE_MODEL_INTEGRITY',
    `Model ${name} in ${dir} does not match manifest.json: ${described.join('; ')}. Run \`embedline model pull ${name} --force\` to fetch it again (files built by \`embedline model optimize\`: run it again with --force).`,
    { name, dir, files: problems },
  );
}
