/**
 * Retrieval accuracy per model variant × vector format on Debian synopsis → description pairs
 * (retrievalPairs.ts), with and without float rescoring of the top 100 (retrievalSearch.ts),
 * plus each combination's cosine to the fp32 model's float32 vectors over queries and documents.
 *
 * The int formats' ranges are computed here exactly as `embedline model calibrate` does
 * (quantileRanges, 0.1% / 99.9%) but over the fp32 vectors of held-out packages' texts, so the
 * evaluation set never calibrates itself.
 *
 * Run: `npm run bench:precision -- [--pairs 1000] [--seed 42] [--calibration-texts 3000]
 *       [--variants fp32,int8,int8-static]`
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/loadConfig.js';
import { MODEL_VARIANTS, VARIANT_FILES, type ModelVariant } from '../../core/model/modelInfo.js';
import { DEFAULT_QUANTILES, quantileRanges } from '../../core/precision/calibration.js';
import { VECTOR_FORMATS } from '../../core/precision/formats.js';
import { dequantize, quantize, type QuantizationRanges } from '../../core/precision/quantize.js';
import { cosine } from '../../core/vectorMath.js';
import { readAptDescriptions } from '../corpus/aptSource.js';
import { realModelDir } from './modelDir.js';
import { scoreRankings, type RetrievalScores } from './retrievalMetrics.js';
import { retrievalTask } from './retrievalPairs.js';
import { firstStage, rescore, storeCorpus } from './retrievalSearch.js';
import { cachedVectors } from './vectorCache.js';

const RESCORE_DEPTH = 100;

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    'calibration-texts': { type: 'string', default: '3000' },
    variants: { type: 'string', default: 'fp32,int8,int8-static' },
  },
});
const variants = values.variants.split(',').map((v) => v.trim());
for (const v of variants) if (!(MODEL_VARIANTS as readonly string[]).includes(v)) throw new Error(`--variants: unknown variant ${v}; known: ${MODEL_VARIANTS.join(', ')}`);
const config = loadConfig(process.env);
const dir = await realModelDir();
const calibrationCount = Number(values['calibration-texts']);
const task = retrievalTask(await readAptDescriptions(), { pairs: Number(values.pairs), heldOut: Math.ceil(calibrationCount / 2), seed: Number(values.seed) });
const calibrationTexts = task.calibrationTexts.slice(0, calibrationCount);
const heldOutVectors = await cachedVectors(config, dir, 'fp32', calibrationTexts);
const ranges = quantileRanges(heldOutVectors, 384, DEFAULT_QUANTILES);
// int16 has 256x int8's levels, so the 0.1% clipping dominates its error: wider ranges, measured
// on the fp32 model only, say whether int16 should calibrate differently.
const WIDER_INT16 = [
  { label: 'int16 q0.0001', quantiles: { lower: 0.0001, upper: 0.9999 } },
  { label: 'int16 min/max', quantiles: { lower: 0, upper: 1 } },
] as const;
const relevant = task.queries.map((_, q) => new Set([q]));

interface Row {
  readonly variant: string;
  readonly format: string;
  readonly plain: RetrievalScores;
  readonly rescored: RetrievalScores;
  readonly cosine: { mean: number; p1: number; min: number };
}

// Cosine is always against the fp32 model's float32 vectors, whichever variants are listed.
const reference = [...(await cachedVectors(config, dir, 'fp32', task.queries)), ...(await cachedVectors(config, dir, 'fp32', task.documents))];
const rows: Row[] = [];
for (const variant of variants as ModelVariant[]) {
  if (!existsSync(join(dir, VARIANT_FILES[variant]))) {
    process.stderr.write(`skipping ${variant}: ${VARIANT_FILES[variant]} is not in ${dir}\n`);
    continue;
  }
  const queries = await cachedVectors(config, dir, variant, task.queries);
  const documents = await cachedVectors(config, dir, variant, task.documents);
  for (const format of VECTOR_FORMATS) rows.push(evaluate(variant, format, queries, documents, ranges));
  if (variant === 'fp32') {
    for (const wider of WIDER_INT16) rows.push({ ...evaluate(variant, 'int16', queries, documents, quantileRanges(heldOutVectors, 384, wider.quantiles)), format: wider.label });
  }
}
printTable(rows);

function evaluate(variant: string, format: (typeof VECTOR_FORMATS)[number], queries: Float32Array[], documents: Float32Array[], r: QuantizationRanges): Row {
  const corpus = storeCorpus(documents, format, r);
  const candidates = firstStage(queries, corpus, r, RESCORE_DEPTH);
  const plain = scoreRankings(candidates, relevant);
  const rescored = scoreRankings(rescore(candidates, queries, corpus), relevant);
  const all = [...queries, ...documents];
  const cos = all.map((v, i) => cosine(dequantize(quantize(v, format, r), r), reference[i]!)).sort((a, b) => a - b);
  const mean = cos.reduce((a, b) => a + b, 0) / cos.length;
  process.stderr.write(`${variant} ${format}: NDCG@10 ${plain.ndcgAt10.toFixed(4)} / rescored ${rescored.ndcgAt10.toFixed(4)}\n`);
  return { variant, format, plain, rescored, cosine: { mean, p1: cos[Math.floor(cos.length / 100)]!, min: cos[0]! } };
}

function printTable(table: readonly Row[]): void {
  const base = table.find((r) => r.variant === 'fp32' && r.format === 'float32')?.plain.ndcgAt10 ?? NaN;
  const pct = (x: number) => `${((100 * x) / base).toFixed(1)}%`;
  const f = (x: number) => x.toFixed(4);
  process.stdout.write(
    `${task.queries.length} queries, ${task.documents.length} documents, seed ${values.seed}; ranges from ${calibrationTexts.length} held-out texts (fp32, quantiles ${DEFAULT_QUANTILES.lower}/${DEFAULT_QUANTILES.upper}); rescoring depth ${RESCORE_DEPTH}\n\n`,
  );
  process.stdout.write('| model | format | R@1 | R@10 | NDCG@10 | of fp32 | rescored R@1 | R@10 | NDCG@10 | of fp32 | cos mean | cos p1 | cos min |\n');
  process.stdout.write('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n');
  for (const r of table) {
    const { plain: p, rescored: s, cosine: c } = r;
    process.stdout.write(
      `| ${r.variant} | ${r.format} | ${f(p.recallAt1)} | ${f(p.recallAt10)} | ${f(p.ndcgAt10)} | ${pct(p.ndcgAt10)} | ${f(s.recallAt1)} | ${f(s.recallAt10)} | ${f(s.ndcgAt10)} | ${pct(s.ndcgAt10)} | ${c.mean.toFixed(5)} | ${c.p1.toFixed(5)} | ${c.min.toFixed(5)} |\n`,
    );
  }
}
