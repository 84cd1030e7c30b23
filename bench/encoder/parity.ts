import { cosine } from '../../core/vectorMath.js';

/**
 * Do two systems produce the same embeddings? Cosine per text, over the texts neither truncates
 * (embedline stops at 256 word pieces, transformers.js and FastEmbed at 512), and over all.
 *
 * @example
 * const parity = compareVectors(ours, reference, sample.lengths(1 << 20).map((n) => n <= 256));
 */
export interface Parity {
  readonly compared: number;
  readonly minCosine: number;
  readonly meanCosine: number;
  /** Over every text, truncated ones included. */
  readonly minCosineAll: number;
}

export const FP32_PARITY_THRESHOLD = 0.9999;

export function compareVectors(ours: readonly Float32Array[], reference: readonly Float32Array[], comparable: readonly boolean[]): Parity {
  let compared = 0;
  let sum = 0;
  let minCosine = Infinity;
  let minCosineAll = Infinity;
  ours.forEach((vector, i) => {
    const c = cosine(vector, reference[i]!);
    minCosineAll = Math.min(minCosineAll, c);
    if (!comparable[i]) return;
    compared++;
    sum += c;
    minCosine = Math.min(minCosine, c);
  });
  return { compared, minCosine, meanCosine: sum / compared, minCosineAll };
}
