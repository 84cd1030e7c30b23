import { buildCorpus, readCorpusTexts } from '../corpus/buildCorpus.js';
import { summarize, type LengthSummary } from '../corpus/lengthStats.js';
import { TextTokenizer } from '../../core/encoder/TextTokenizer.js';

/** No real text reaches this; it only switches truncation off for measuring. */
const UNTRUNCATED = 1 << 20;

/**
 * The fixed benchmark sample and its exact word-piece lengths from the model's own tokenizer.
 * `pieces` excludes [CLS]/[SEP] (comparable with bench/corpus/README.md); `lengths(max)` is what
 * a system truncating at `max` feeds the model, specials included.
 *
 * @example
 * const sample = await loadSample({ size: 256, seed: 42 }, tokenizerPath);
 * sample.lengths(256); // embedline; transformers.js and FastEmbed truncate at 512
 */
export interface BenchSample {
  readonly file: string;
  readonly texts: readonly string[];
  readonly pieces: readonly number[];
  readonly distribution: LengthSummary & { readonly mean: number; readonly over254: number };
  lengths(maxTokens: number): number[];
}

export async function loadSample(opts: { size: number; seed: number }, tokenizerPath: string): Promise<BenchSample> {
  const { file } = await buildCorpus(opts);
  const texts = await readCorpusTexts(file);
  const tokenized = await TextTokenizer.fromFile(tokenizerPath, UNTRUNCATED).tokenize(texts);
  const withSpecials = tokenized.map((t) => t.ids.length);
  const pieces = withSpecials.map((n) => n - 2);
  const mean = pieces.reduce((sum, n) => sum + n, 0) / pieces.length;
  return {
    file,
    texts,
    pieces,
    distribution: { ...summarize(pieces), mean, over254: pieces.filter((n) => n > 254).length },
    lengths: (maxTokens) => withSpecials.map((n) => Math.min(n, maxTokens)),
  };
}

export function describeDistribution(d: BenchSample['distribution']): string {
  return (
    `word pieces (excl. [CLS]/[SEP], untruncated): median ${d.median}, p90 ${d.p90}, p99 ${d.p99}, max ${d.max}, ` +
    `mean ${d.mean.toFixed(1)}; ${d.over254} of ${d.count} truncated at 256`
  );
}
