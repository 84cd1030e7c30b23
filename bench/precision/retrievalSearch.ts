/**
 * Exhaustive search over a quantized corpus, with optional float rescoring, as
 * sentence-transformers' `semantic_search_faiss` / `semantic_search_usearch` do it:
 *
 * - **first stage**: queries and documents both in the format. int16/int8/uint8/float16 score
 *   by the dot product of the dequantized vectors (what a scalar-quantized index such as FAISS
 *   SQ8 computes); binary/ubinary by Hamming distance on the packed sign bits (fewer differing
 *   bits first). Ties go to the lower document index, so runs are reproducible.
 * - **rescoring**: the first stage's top `depth` documents re-ranked by the float32 query's dot
 *   product with each document as stored: its dequantized values, for binary the ±1 bits
 *   (scaled by 1/√d, which does not change the order). No float document is kept anywhere.
 *
 * @example
 * const stage = firstStage(queries, documents, 'int8', ranges, 100);
 * const rescored = rescore(stage, floatQueries, documents, 'int8', ranges);
 */
import type { VectorFormat } from '../../core/precision/formats.js';
import { dequantize, packSignBits, quantize, type QuantizationRanges } from '../../core/precision/quantize.js';

/** Documents as a quantized index holds them: the dequantized values, or packed bits for binary. */
export interface StoredCorpus {
  readonly format: VectorFormat;
  readonly values: readonly Float32Array[];
  readonly bits: readonly Uint8Array[];
}

const isBinary = (format: VectorFormat): boolean => format === 'binary' || format === 'ubinary';

export function storeCorpus(vectors: readonly Float32Array[], format: VectorFormat, ranges: QuantizationRanges): StoredCorpus {
  return {
    format,
    values: vectors.map((v) => dequantize(quantize(v, format, ranges), ranges)),
    bits: isBinary(format) ? vectors.map(packSignBits) : [],
  };
}

/** Each query's first `depth` document indices, best first. */
export function firstStage(queries: readonly Float32Array[], corpus: StoredCorpus, ranges: QuantizationRanges, depth: number): number[][] {
  if (isBinary(corpus.format)) {
    return queries.map((q) => {
      const bits = packSignBits(q);
      return topBy(corpus.bits.length, depth, (d) => -hamming(bits, corpus.bits[d]!));
    });
  }
  return queries.map((q) => {
    const stored = dequantize(quantize(q, corpus.format, ranges), ranges);
    return topBy(corpus.values.length, depth, (d) => dot(stored, corpus.values[d]!));
  });
}

/** The candidates re-ranked by the float query's dot product with the stored documents. */
export function rescore(candidates: readonly (readonly number[])[], floatQueries: readonly Float32Array[], corpus: StoredCorpus): number[][] {
  return candidates.map((docs, q) => {
    const scored = docs.map((d) => ({ d, score: dot(floatQueries[q]!, corpus.values[d]!) }));
    scored.sort((a, b) => b.score - a.score || a.d - b.d);
    return scored.map((s) => s.d);
  });
}

function topBy(count: number, depth: number, score: (doc: number) => number): number[] {
  const scores = new Float64Array(count);
  for (let d = 0; d < count; d++) scores[d] = score(d);
  const order = Array.from({ length: count }, (_, d) => d);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, depth);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, byte) => {
  let bits = 0;
  for (let b = byte; b > 0; b >>= 1) bits += b & 1;
  return bits;
});

function hamming(a: Uint8Array, b: Uint8Array): number {
  let distance = 0;
  for (let i = 0; i < a.length; i++) distance += POPCOUNT[a[i]! ^ b[i]!]!;
  return distance;
}
