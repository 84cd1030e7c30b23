import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Forward-pass FLOPs of a BERT encoder, counting only the matrix products (embeddings, softmax,
 * LayerNorm and GELU are a few per cent at most). Per layer and sequence of n tokens:
 * Q, K, V and output projections 4·(2·h²·n) + FFN 2·(2·h·4h·n) = 24·h²·n, and attention scores
 * plus the weighted sum of values 2·(2·h·n²) = 4·h·n².
 *
 * @example
 * const { real, padded } = batchFlops([[12, 14], [40]]); // one batch of two rows, one of one
 */
export interface EncoderShape {
  readonly hidden: number;
  readonly layers: number;
}

export const MINI_LM_L6: EncoderShape = { hidden: 384, layers: 6 };

/** The encoder's shape from its config.json (bge-small-en-v1.5 and e5-small-v2: 12 layers of 384). */
export function encoderShapeOf(modelDir: string): EncoderShape {
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { hidden_size?: number; num_hidden_layers?: number };
  if (!config.hidden_size || !config.num_hidden_layers) throw new Error(`${join(modelDir, 'config.json')} has no hidden_size or num_hidden_layers`);
  return { hidden: config.hidden_size, layers: config.num_hidden_layers };
}

export function sequenceFlops(tokens: number, model: EncoderShape = MINI_LM_L6): number {
  const h = model.hidden;
  return model.layers * (24 * h * h * tokens + 4 * h * tokens * tokens);
}

export interface FlopCount {
  /** As if every row ran at its own length: the useful work. */
  readonly real: number;
  /** Every row at its batch's longest length: what the CPU executes. */
  readonly padded: number;
  readonly realTokens: number;
  readonly paddedTokens: number;
}

/** `batches` holds each batch's row lengths (word pieces including [CLS]/[SEP]). */
export function batchFlops(batches: readonly (readonly number[])[], model: EncoderShape = MINI_LM_L6): FlopCount {
  let real = 0;
  let padded = 0;
  let realTokens = 0;
  let paddedTokens = 0;
  for (const rows of batches) {
    const longest = Math.max(...rows);
    for (const n of rows) {
      real += sequenceFlops(n, model);
      realTokens += n;
    }
    padded += rows.length * sequenceFlops(longest, model);
    paddedTokens += rows.length * longest;
  }
  return { real, padded, realTokens, paddedTokens };
}

/** Consecutive slices of `size`: how a caller without a length-aware batcher feeds the model. */
export function inputOrderBatches(lengths: readonly number[], size: number): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < lengths.length; start += size) batches.push(lengths.slice(start, start + size));
  return batches;
}
