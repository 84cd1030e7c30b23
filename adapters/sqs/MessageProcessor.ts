import { toEmbedlineError, type EmbedlineError } from '../../core/errors.js';
import type { EncodePipeline } from '../../core/pipeline/EncodePipeline.js';
import type { EmbedResult } from '../../core/pipeline/types.js';
import type { MessageFailure, ResultSink } from '../../core/ports/ResultSink.js';
import type { JsonLog } from './jsonLog.js';
import type { EmbedMessage, MessageLimits } from './message/embedMessage.js';
import { PERMANENT_REASONS, type FailureReason } from './message/failureReasons.js';
import { InvalidMessageError } from './message/InvalidMessageError.js';
import { parseEmbedMessage } from './message/parseEmbedMessage.js';
import { inCallerTrace } from '../otel/callerTrace.js';
import type { QueuedMessage } from './QueuedMessage.js';
import { withRetry, type RetryPolicy } from './retry.js';

export interface Failed {
  readonly status: 'failed';
  readonly failure: MessageFailure & { readonly reason: FailureReason };
}
export interface Succeeded {
  readonly status: 'succeeded';
  readonly id: string;
  readonly location: string;
}
export type ProcessOutcome = Succeeded | Failed;

export type ParseOutcome = { readonly ok: true; readonly message: EmbedMessage } | { readonly ok: false; readonly failed: Failed };

/** The pipeline that embeds a message: by the message's `model` (undefined: the default), loading a lazy model first. */
export type PipelineFor = (model: string | undefined) => Promise<Pick<EncodePipeline, 'embed'>>;

export interface MessageProcessorDeps {
  /** One pipeline for every message (a single-model consumer); ignored when `pipelineFor` is given. */
  readonly pipeline?: Pick<EncodePipeline, 'embed'>;
  /** Several models: the message's `model` picks the pipeline (parse has already refused unknown ids). */
  readonly pipelineFor?: PipelineFor;
  readonly sink: ResultSink;
  readonly limits: MessageLimits;
  /** Attempts for one sink write before the message is released for a later delivery. */
  readonly sinkRetry: RetryPolicy;
  readonly log: JsonLog;
}

/** Pipeline errors that another delivery cannot fix. */
const PERMANENT_EMBED_CODES = new Set(['EMBEDLINE_BAD_INPUT', 'EMBEDLINE_INPUT_TOO_LARGE', 'EMBEDLINE_UNKNOWN_PRECISION']);

/**
 * What happens to one queued message, shared by the ECS worker and the Lambda handler: parse it
 * against the contract, embed its texts through the pipeline, store the result in the sink. It
 * never throws; every failure comes back with its reason, already logged and recorded, and the
 * caller decides what the queue does with it (release, report in batchItemFailures).
 *
 * @example
 * const parsed = processor.parse(queued);
 * const outcome = parsed.ok ? await processor.embedAndStore(queued, parsed.message) : parsed.failed;
 */
export class MessageProcessor {
  constructor(private readonly deps: MessageProcessorDeps) {}

  async parse(queued: QueuedMessage): Promise<ParseOutcome> {
    try {
      return { ok: true, message: parseEmbedMessage(queued, this.deps.limits) };
    } catch (error) {
      const invalid = error instanceof InvalidMessageError ? error : new InvalidMessageError('invalid_message', toEmbedlineError(error).message);
      return { ok: false, failed: await this.failed(queued, invalid.reason, invalid, bestEffortId(queued.body)) };
    }
  }

  async embedAndStore(queued: QueuedMessage, message: EmbedMessage, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ProcessOutcome> {
    let embedded: EmbedResult;
    const model = message.model ?? this.deps.limits.model;
    try {
      // A lazy model that fails to load is EMBEDLINE_NOT_READY: retried on a later delivery.
      const pipeline = this.deps.pipelineFor ? await this.deps.pipelineFor(message.model) : this.deps.pipeline!;
      const prompt = { ...(message.inputType ? { inputType: message.inputType } : {}), ...(message.promptName ? { promptName: message.promptName } : {}) };
      embedded = await inCallerTrace(queued.trace, () => pipeline.embed(message.texts, { priority: message.priority, precision: message.precision, requestId: message.id, timeoutMs: options.timeoutMs, signal: options.signal, ...prompt }));
    } catch (error) {
      const cause = toEmbedlineError(error);
      return this.failed(queued, 'embed_failed', cause, message.id, !PERMANENT_EMBED_CODES.has(cause.code));
    }
    const result = {
      id: message.id,
      messageId: queued.messageId,
      model,
      vectors: embedded.vectors.map((v) => v.values),
      quantized: embedded.vectors.map((v) => v.quantized),
      precision: embedded.precision,
      promptTokens: embedded.promptTokens,
      metadata: message.metadata,
      replyTo: message.replyTo,
      format: message.format,
    };
    try {
      const { location } = await withRetry(() => this.deps.sink.write(result), this.deps.sinkRetry, {
        isRetryable: (error) => toEmbedlineError(error).context.retryable !== false,
        onRetry: (error, attempt) => this.deps.log.debug('sqs.sink_retry', { messageId: queued.messageId, id: message.id, attempt, error }),
      });
      return { status: 'succeeded', id: message.id, location };
    } catch (error) {
      const cause = toEmbedlineError(error, 'EMBEDLINE_SINK');
      return this.failed(queued, 'sink_failed', cause, message.id, cause.context.retryable !== false);
    }
  }

  /** For a record the Lambda handler had no time left to start. */
  notStarted(queued: QueuedMessage, id: string | undefined, remainingMs: number): Promise<Failed> {
    const error = toEmbedlineError(new Error(`Not started: ${remainingMs} ms of the invocation were left; SQS will deliver it again.`), 'EMBEDLINE_TIMEOUT');
    return this.failed(queued, 'deadline', error, id, true);
  }

  private async failed(queued: QueuedMessage, reason: FailureReason, error: EmbedlineError, id: string | undefined, retryable = !PERMANENT_REASONS.has(reason)): Promise<Failed> {
    const failure = { at: new Date().toISOString(), messageId: queued.messageId, id, reason, code: error.code, message: error.message, receiveCount: queued.receiveCount, retryable };
    this.deps.log.warn('sqs.message_failed', failure);
    await this.deps.sink.recordFailure(failure);
    return { status: 'failed', failure };
  }
}

/** The producer's id from a body that failed validation, when there is one to show. */
function bestEffortId(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}
