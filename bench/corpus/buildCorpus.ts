/**
 * Builds the benchmark corpus from Debian package descriptions in the local apt lists and caches it
 * as JSONL (`{"id","text"}` per line). See README.md for the source, licensing and distribution.
 *
 * Run: `npx tsx bench/corpus/buildCorpus.ts [--size 10000] [--seed 42] [--out FILE]`
 *
 * @example
 * const { file, count } = await buildCorpus({ size: 10_000, seed: 42 });
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readAptDescriptions, updateAptLists } from './aptSource.js';
import { estimateWordPieces, formatSummary, summarize } from './lengthStats.js';
import { assembleCorpus } from './mix.js';
import { mulberry32 } from './prng.js';

export interface BuildCorpusOptions {
  /** Defaults to `<cache>/corpus/debian-descriptions-<size>-<seed>.jsonl`. */
  readonly outFile?: string;
  /** Number of texts; 10,000 by default. */
  readonly size?: number;
  /** PRNG seed for selection and order; 42 by default. */
  readonly seed?: number;
}

interface CorpusEnv {
  readonly cacheDir: string;
  readonly aptUpdate: boolean;
}

const DEFAULT_SIZE = 10_000;
const DEFAULT_SEED = 42;

/** Builds the corpus unless the file already exists; either way returns its path and line count. */
export async function buildCorpus(opts: BuildCorpusOptions = {}, env: CorpusEnv = corpusEnv()): Promise<{ file: string; count: number }> {
  const size = opts.size ?? DEFAULT_SIZE;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const file = opts.outFile ?? join(env.cacheDir, 'corpus', `debian-descriptions-${size}-${seed}.jsonl`);
  if (existsSync(file)) {
    const texts = await readCorpusTexts(file);
    report(`using cached ${file}`, texts);
    return { file, count: texts.length };
  }
  if (env.aptUpdate) await updateAptLists();
  const corpus = assembleCorpus((await readAptDescriptions()).values(), size, mulberry32(seed));
  await writeAtomically(file, corpus.map(({ id, text }) => JSON.stringify({ id, text }) + '\n').join(''));
  report(`wrote ${file}`, corpus.map((c) => c.text));
  if (corpus.length < size) process.stderr.write(`only ${corpus.length} distinct texts were available, not ${size}\n`);
  return { file, count: corpus.length };
}

/** The bench tool's only reader of `process.env`. */
export function corpusEnv(env: NodeJS.ProcessEnv = process.env): CorpusEnv {
  return {
    cacheDir: env.EMBEDLINE_CACHE_DIR || join(homedir(), '.cache', 'embedline'),
    aptUpdate: env.EMBEDLINE_CORPUS_APT_UPDATE === '1',
  };
}

/** Reads the `text` of every line of a corpus file. */
export async function readCorpusTexts(file: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (line.trim() !== '') texts.push((JSON.parse(line) as { text: string }).text);
  }
  return texts;
}

/** Written beside the target and renamed, so an interrupted build never leaves a file that looks cached. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, content, 'utf8');
  await rename(partial, file);
}

function report(headline: string, texts: readonly string[]): void {
  const chars = summarize(texts.map((t) => t.length));
  const pieces = summarize(texts.map(estimateWordPieces));
  process.stderr.write(
    `${headline}\n  ${chars.count} texts\n  ${formatSummary('chars', chars)}\n  ${formatSummary('≈word pieces', pieces)}\n`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
  });
  const { file } = await buildCorpus({
    outFile: values.out,
    size: values.size === undefined ? undefined : Number(values.size),
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  process.stdout.write(`${file}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
