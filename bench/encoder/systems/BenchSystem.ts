import type { PassGuard, RunSummary } from '../timing.js';
import type { BenchSample } from '../sample.js';
import type { Breakdown } from '../profile.js';

/**
 * One way of embedding the sample, measured the same way as the others: a warm-up pass whose
 * vectors feed the parity check, then timed passes over the whole sample.
 *
 * @example
 * const result = await system.measure(sample, 5, { maxForeign: 0.05, maxPasses: 20 });
 * if (result.kind === 'measured') console.log(result.ms.median);
 */
export interface BenchSystem {
  readonly id: string;
  readonly label: string;
  /** Workers and threads as a reader would set them up. */
  readonly config: string;
  readonly precision: 'fp32' | 'int8';
  measure(sample: BenchSample, runs: number, guard: PassGuard): Promise<SystemResult>;
}

export type SystemResult = Measured | Skipped;

export interface Measured {
  readonly kind: 'measured';
  /** Wall time of one pass over the sample, ms. */
  readonly ms: RunSummary;
  /** Timed passes thrown away because other processes took the CPUs. */
  readonly discarded: number;
  /** The largest CPU share other processes took during a kept pass. */
  readonly foreign: number;
  /** From the warm-up pass, in sample order. */
  readonly vectors: readonly Float32Array[];
  /** Row lengths of every batch the system ran, as it padded them. */
  readonly batches: readonly (readonly number[])[];
  readonly maxTokens: number;
  readonly breakdown?: Breakdown;
  readonly versions?: Readonly<Record<string, string>>;
}

export interface Skipped {
  readonly kind: 'skipped';
  readonly reason: string;
}

/** Splits a row-major [rows × dim] block into per-row views. */
export function splitRows(block: Float32Array, dim: number): Float32Array[] {
  return Array.from({ length: block.length / dim }, (_, row) => block.subarray(row * dim, (row + 1) * dim));
}
