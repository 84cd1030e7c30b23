import type { ServiceIdentifier } from 'inversify';
import type { EmbedlineError } from '../errors.js';
import type { BatchFeedback } from './BatchSizePolicy.js';
import type { Priority } from '../pipeline/types.js';

export interface RequestCompleted {
  readonly requestId: string;
  readonly priority: Priority;
  readonly texts: number;
  readonly promptTokens: number;
  readonly latencyMs: number;
  /** The precision served (undefined when the request failed before it was resolved). */
  readonly precision?: string | undefined;
  readonly error?: EmbedlineError | undefined;
}

/**
 * Watches the pipeline without being able to change it: metrics, SLO tracking, tracing.
 * Observers must not throw; the pipeline guards every call anyway.
 *
 * @example
 * class LogObserver implements PipelineObserver {
 *   onRequest(e: RequestCompleted) { console.log(e.requestId, e.latencyMs); }
 * }
 */
export interface PipelineObserver {
  onRequest?(event: RequestCompleted): void;
  onBatch?(event: BatchFeedback & { readonly batchId: number; readonly priority: Priority; readonly error?: EmbedlineError }): void;
  onQueueDepth?(queuedTexts: number): void;
}

export const PIPELINE_OBSERVER: ServiceIdentifier<PipelineObserver> = Symbol.for('embedline.PipelineObserver');
