import type { ServiceIdentifier } from 'inversify';
import type { ErrorCode } from '../errors.js';
import type { QuantizedVector } from '../precision/quantize.js';
import type { ResolvedPrecision } from './PrecisionPolicy.js';

/** How vectors are laid out in an object sink: one JSON line per text, or a NumPy (n, dim) float32 array. */
export type ResultFormat = 'jsonl' | 'npy';

/** Everything a sink needs to store the embeddings of one queued message. */
export interface EmbeddingResult {
  /** The producer's id: the sink's key, so a redelivered message overwrites its own result. */
  readonly id: string;
  /** The queue's id for this delivery, for logs only. */
  readonly messageId: string;
  readonly model: string;
  readonly vectors: readonly Float32Array[];
  /**
   * The vectors in the served precision's format, with that precision; sinks write these when
   * given (absent: `vectors` as float32).
   */
  readonly quantized?: readonly QuantizedVector[] | undefined;
  readonly precision?: ResolvedPrecision | undefined;
  readonly promptTokens: number;
  /** The producer's metadata, stored with the result where the format allows. */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** Per-message overrides from the message's `sink` field. */
  readonly replyTo?: string | undefined;
  readonly format?: ResultFormat | undefined;
}

/** Where a result landed: a path, an `s3://` URI or a queue URL. */
export interface SinkReceipt {
  readonly location: string;
}

/** Why a message could not be turned into a result, for the person who has to look at it. */
export interface MessageFailure {
  readonly at: string;
  readonly messageId: string;
  readonly id?: string | undefined;
  readonly reason: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly receiveCount: number;
  /** True when the message will be retried; false when it can only end in the dead-letter queue. */
  readonly retryable: boolean;
}

/**
 * Stores results of queued embedding requests. `write` must be idempotent per `id` (a redelivered
 * message rewrites the same key) and must resolve only once the result is durable, because the
 * caller deletes the message from the queue right after. Failures are `EmbedlineError`s with code
 * `EMBEDLINE_SINK` and `context.retryable`.
 *
 * @example
 * const sink = container.get(RESULT_SINK);
 * const { location } = await sink.write({ id: 'doc-1', messageId, model: 'all-MiniLM-L6-v2', vectors, promptTokens: 12 });
 * await sink.recordFailure({ at: new Date().toISOString(), messageId, reason: 'malformed_json', code: 'EMBEDLINE_BAD_INPUT', message: 'body is not JSON', receiveCount: 1, retryable: false });
 */
export interface ResultSink {
  /** `file`, `s3` or `sqs`, for logs and metrics. */
  readonly kind: string;
  write(result: EmbeddingResult): Promise<SinkReceipt>;
  /** Best effort: keeps a failure where a person can find it; never throws. */
  recordFailure(failure: MessageFailure): Promise<void>;
  close(): Promise<void>;
}

export const RESULT_SINK: ServiceIdentifier<ResultSink> = Symbol.for('embedline.ResultSink');
