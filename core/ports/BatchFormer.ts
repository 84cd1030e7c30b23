import type { ServiceIdentifier } from 'inversify';
import type { WorkItem } from '../pipeline/types.js';
import type { BatchShape } from './BatchSizePolicy.js';

/** Limits a batch former must respect, the policy's shape resolved against the config. */
export interface FormLimits extends BatchShape {
  readonly maxPaddingRatio: number;
  /** How many batches' worth of the queue may be searched for company. */
  readonly lookahead: number;
}

/**
 * Decides which queued texts go together. It is handed one priority class's queue, oldest
 * first, and returns the texts of the next batch; it must include `queue[0]` (FIFO fairness)
 * and only texts of `queue[0]`'s model variant. The default grows the batch around the oldest
 * text from texts of similar length; `memory-aware-batcher` also keeps it within a memory budget.
 *
 * @example
 * const batch = former.form(queue, { maxBatchSize: 16, maxBatchTokens: 8192, maxWaitMs: 2, maxPaddingRatio: 0.05, lookahead: 8 });
 */
export interface BatchFormer {
  form(queue: readonly WorkItem[], limits: FormLimits): WorkItem[];
}

export const BATCH_FORMER: ServiceIdentifier<BatchFormer> = Symbol.for('embedline.BatchFormer');
