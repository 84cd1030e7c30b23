import type { ServiceIdentifier } from 'inversify';
import type { Priority } from '../pipeline/types.js';
import type { DeviceStatus } from './DeviceScheduler.js';

export interface BatchShape {
  readonly maxBatchSize: number;
  /** Padded tokens (rows × longest row) allowed in one batch. */
  readonly maxBatchTokens: number;
  readonly maxWaitMs: number;
  /** Overrides `batching.maxPaddingRatio` for this batch when set (an agent's arm). */
  readonly maxPaddingRatio?: number | undefined;
}

/** One priority class of the queue as the policy sees it. */
export interface PriorityQueueState {
  readonly depth: number;
  /** How long its oldest text has waited; 0 when empty. */
  readonly oldestWaitMs: number;
  /**
   * Real tokens queued in this class: with `depth`, the length of the texts about to be batched,
   * which a policy sees before any batch of them has run (a move to long texts shows here first).
   */
  readonly tokens?: number | undefined;
}

/** What the batcher knows when it is about to form a batch. */
export interface BatchState {
  readonly queuedTexts: number;
  readonly byPriority?: Readonly<Record<Priority, PriorityQueueState>> | undefined;
  readonly inFlightBatches?: number | undefined;
  /** The scheduler's devices: state, backlog and measured speed where it tracks them. */
  readonly devices?: readonly DeviceStatus[] | undefined;
  /** Bytes the memory port reports in use across devices (0 when nothing reports). */
  readonly memoryInUseBytes?: number | undefined;
  /** Epoch ms, from the batcher's clock. */
  readonly now?: number | undefined;
}

/** What one finished (or failed) batch cost, fed back so adaptive policies can learn. */
export interface BatchFeedback {
  readonly size: number;
  readonly seqLen: number;
  readonly realTokens: number;
  /** rows × longest row: the cells the model computed. */
  readonly paddedTokens?: number | undefined;
  readonly queueWaitMs: number;
  readonly inferMs: number;
  /** Wall time from dispatch to result (includes packing, pooling, transfer). */
  readonly durationMs?: number | undefined;
  readonly device: string;
  readonly queuedTexts: number;
  /** Highest priority in the batch. */
  readonly priority?: Priority | undefined;
  /** Memory the device reported for the batch, where it measures it. */
  readonly memoryBytes?: number | undefined;
  /** False when the batch failed (it is then split and retried, or its texts fail). */
  readonly ok?: boolean | undefined;
}

/**
 * Decides batch limits before each batch is formed. The default returns the configured
 * constants; the predictive and RL agents adapt them from feedback, which arrives for every
 * batch, failed ones included (`ok: false`).
 *
 * @example
 * const shape = policy.next({ queuedTexts: 40, inFlightBatches: 2, byPriority, devices });
 * policy.record({ size: 32, seqLen: 40, realTokens: 1200, paddedTokens: 1280, queueWaitMs: 3, inferMs: 60, device: 'cpu-0', queuedTexts: 10, ok: true });
 */
export interface BatchSizePolicy {
  next(state: BatchState): BatchShape;
  record(feedback: BatchFeedback): void;
}

export const BATCH_SIZE_POLICY: ServiceIdentifier<BatchSizePolicy> = Symbol.for('embedline.BatchSizePolicy');
