import type { ServiceIdentifier } from 'inversify';

export interface BatchShape {
  readonly maxBatchSize: number;
  /** Padded tokens (rows × longest row) allowed in one batch. */
  readonly maxBatchTokens: number;
  readonly maxWaitMs: number;
}

/** What one finished batch cost, fed back so adaptive policies can learn. */
export interface BatchFeedback {
  readonly size: number;
  readonly seqLen: number;
  readonly realTokens: number;
  readonly queueWaitMs: number;
  readonly inferMs: number;
  readonly device: string;
  readonly queuedTexts: number;
}

/**
 * Decides batch limits before each batch is formed. The default returns the configured
 * constants; the predictive and RL agents adapt them from feedback.
 *
 * @example
 * const shape = policy.next({ queuedTexts: batcher.queuedTexts });
 * policy.record({ size: 32, seqLen: 40, realTokens: 1200, queueWaitMs: 3, inferMs: 60, device: 'cpu-0', queuedTexts: 10 });
 */
export interface BatchSizePolicy {
  next(state: { readonly queuedTexts: number }): BatchShape;
  record(feedback: BatchFeedback): void;
}

export const BATCH_SIZE_POLICY: ServiceIdentifier<BatchSizePolicy> = Symbol.for('embedline.BatchSizePolicy');
