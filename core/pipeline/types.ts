import type { SpanContext } from '@opentelemetry/api';
import type { ModelVariant } from '../model/modelInfo.js';
import type { ResolvedPrecision } from '../ports/PrecisionPolicy.js';
import type { QuantizedVector } from '../precision/quantize.js';
import type { VectorSource } from './EmbedContext.js';

export const PRIORITIES = ['critical', 'normal', 'background'] as const;
/** Carried on every request; the queue serves higher priority first without starving the rest. */
export type Priority = (typeof PRIORITIES)[number];

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/** A vector as returned to the caller. */
export interface EmbeddingVector {
  /** The model's normalized fp32 output (of the variant the precision named). */
  readonly values: Float32Array;
  /** `values` in the served precision's format: what adapters encode (float32: `values` itself). */
  readonly quantized: QuantizedVector;
}

export interface EmbedOptions {
  readonly priority?: Priority | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The precision the caller asked for, by name; the PRECISION_POLICY resolves it (unknown names: EMBEDLINE_UNKNOWN_PRECISION); undefined lets the priority decide. */
  readonly precision?: string | undefined;
  /** Caller's id for logs and traces (HTTP request id, SQS message id). */
  readonly requestId?: string | undefined;
  /**
   * A prompt name from the model's prompts (e.g. 'query'); its text is prefixed to every input before
   * tokenization (and is part of the cache's text key). Unknown names: EMBEDLINE_BAD_INPUT naming the model's prompts.
   */
  readonly promptName?: string | undefined;
  /**
   * The input's role, mapped to the model's 'query' prompt, or to its 'passage'/'document'/'text' prompt for
   * 'document'. Ignored by a model without prompts; disagreeing with promptName: EMBEDLINE_BAD_INPUT.
   */
  readonly inputType?: 'query' | 'document' | undefined;
}

export interface EmbedResult {
  readonly vectors: EmbeddingVector[];
  /** Word pieces the model saw for this request (texts supplied by a stage before tokenization count 0). */
  readonly promptTokens: number;
  /** Per text: 'computed' by the model, or the name of the stage that supplied the vector. */
  readonly sources: readonly VectorSource[];
  /** The precision served: the variant that computed the vectors and their format. */
  readonly precision: ResolvedPrecision;
  /** What stages recorded for adapters (scratch values keyed by stage name). */
  readonly attributes: ReadonlyMap<string, unknown>;
}

/** One text waiting to be batched. */
export interface WorkItem {
  readonly ids: Int32Array;
  readonly priority: Priority;
  readonly variant: ModelVariant;
  readonly enqueuedAt: number;
  readonly deadline: number;
  readonly requestId: string;
  /** The request's span, so the batch that carries this text can point back to it (traces). */
  readonly spanContext?: SpanContext | undefined;
  /** True once the caller gave up (timeout, abort); the batcher drops such items. */
  isCancelled(): boolean;
  resolve(vector: Float32Array, info: BatchInfo): void;
  reject(error: Error): void;
}

/** What the batch an item ran in looked like, for traces and metrics. */
export interface BatchInfo {
  readonly batchId: number;
  readonly size: number;
  readonly seqLen: number;
  readonly device: string;
  readonly queueWaitMs: number;
  readonly inferMs: number;
}

/** Rows handed to a device as one inference batch. */
export interface TokenBatch {
  readonly id: number;
  readonly variant: ModelVariant;
  readonly rows: readonly Int32Array[];
  readonly priority: Priority;
}

export interface BatchOutcome {
  readonly vectors: Float32Array;
  readonly device: string;
  readonly inferMs: number;
  readonly poolMs: number;
}
