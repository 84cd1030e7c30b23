import type { EmbedlineError } from '../../core/errors.js';
import type { BatchOutcome, TokenBatch } from '../../core/pipeline/types.js';

/** A batch on its way through the scheduler, with what its earlier runs went through. */
export interface LaneJob {
  readonly batch: TokenBatch;
  /** Padded tokens (rows × longest row): what the device has to compute. */
  readonly tokens: number;
  /** Runs that failed, on any device. */
  attempts: number;
  /** Failures where ONNX Runtime rejected the batch but the device lived on. */
  inferenceFailures: number;
  readonly failedOn: Set<string>;
  /** LANE_CLOCK time when it was put in a device's queue, for the queue-wait histogram. */
  queuedAt: number;
  resolve(outcome: BatchOutcome): void;
  reject(error: EmbedlineError): void;
}

export function laneJob(batch: TokenBatch, resolve: LaneJob['resolve'], reject: LaneJob['reject']): LaneJob {
  const longest = batch.rows.reduce((max, row) => Math.max(max, row.length), 0);
  return { batch, tokens: batch.rows.length * longest, attempts: 0, inferenceFailures: 0, failedOn: new Set(), queuedAt: 0, resolve, reject };
}
