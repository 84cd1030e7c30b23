import type { BatchFeedback } from '../../../../core/ports/BatchSizePolicy.js';

/** Known cost curve: ms = fixed + perRow·rows + perCell·rows·len + perAttention·rows·len². */
export interface CostCurve {
  readonly fixedMs: number;
  readonly perRowMs: number;
  readonly perCellMs: number;
  readonly perAttentionMs: number;
}

/** Shaped like MiniLM on two CPU cores: about 40 ms for 32 rows of 64 tokens, attention a fifth of it at 128. */
export const CPU_LIKE: CostCurve = { fixedMs: 1.5, perRowMs: 0.05, perCellMs: 0.016, perAttentionMs: 0.00005 };

/** Deterministic uniform numbers in [0, 1) from a seed: the benchmarks' PRNG. */
export { mulberry32 as seededRandom } from '../../../../bench/corpus/prng.js';

/**
 * A device whose batch time follows a known curve, with multiplicative noise of ±`noise`, so
 * learning tests know the right answer. `slowdown` scales every batch (a throttled device).
 */
export class CostCurveDevice {
  slowdown = 1;

  constructor(
    readonly curve: CostCurve,
    private readonly random: () => number,
    private readonly noise = 0.02,
  ) {}

  /** The noiseless time of a batch shape. */
  trueMs(rows: number, seqLen: number): number {
    const { fixedMs, perRowMs, perCellMs, perAttentionMs } = this.curve;
    return this.slowdown * (fixedMs + perRowMs * rows + perCellMs * rows * seqLen + perAttentionMs * rows * seqLen * seqLen);
  }

  /** Runs a batch: the feedback a real dispatcher would report. */
  run(rows: number, seqLen: number, queueWaitMs = 0): BatchFeedback {
    const inferMs = this.trueMs(rows, seqLen) * (1 + this.noise * (2 * this.random() - 1));
    return { size: rows, seqLen, realTokens: Math.round(rows * seqLen * 0.85), paddedTokens: rows * seqLen, queueWaitMs, inferMs, durationMs: inferMs + 0.3, device: 'fake-0', queuedTexts: 0, ok: true };
  }
}

/** A random batch shape: rows 1..maxRows, lengths 8..maxLen. */
export function randomShape(random: () => number, maxRows = 128, maxLen = 256): { rows: number; seqLen: number } {
  return { rows: 1 + Math.floor(random() * maxRows), seqLen: 8 + Math.floor(random() * (maxLen - 7)) };
}
