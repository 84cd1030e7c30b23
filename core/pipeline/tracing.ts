import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { toEmbedlineError, type EmbedlineError } from '../errors.js';

/**
 * Names of the pipeline's spans and attributes. Core traces through `@opentelemetry/api` only:
 * until an SDK is registered (adapters/otel) every span is a no-op. The span tree is described
 * in docs/observability.md.
 */
export const SPAN_NAMES = {
  request: 'embedline.embed',
  tokenize: 'embedline.tokenize',
  preProcess: 'embedline.pre_process',
  queueWait: 'embedline.queue_wait',
  batch: 'embedline.batch',
  infer: 'embedline.infer',
  pool: 'embedline.pool',
  postProcess: 'embedline.post_process',
} as const;

export const ATTRIBUTES = {
  requestId: 'embedline.request.id',
  priority: 'embedline.priority',
  texts: 'embedline.texts',
  promptTokens: 'embedline.prompt_tokens',
  stages: 'embedline.stages',
  batchId: 'embedline.batch.id',
  batchSize: 'embedline.batch.size',
  seqLen: 'embedline.batch.seq_len',
  realTokens: 'embedline.batch.real_tokens',
  batchRequests: 'embedline.batch.requests',
  device: 'embedline.device',
  variant: 'embedline.model.variant',
  /** OpenTelemetry's semantic-convention attribute for what went wrong. */
  errorType: 'error.type',
} as const;

/** Looked up per use, not once at load, so a provider registered later (or replaced by a test) is the one used. */
export function pipelineTracer(): Tracer {
  return trace.getTracer('embedline');
}

/** Runs `work` in an active child span of the current span, and ends it however `work` ends. */
export function inSpan<T>(name: string, work: () => Promise<T>, attributes?: Attributes): Promise<T> {
  return pipelineTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      markFailed(span, toEmbedlineError(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Notes the failure on the span. Only failures on our side set ERROR status; a caller's mistake
 * (bad input, cancel) records just its type, as OpenTelemetry's HTTP conventions treat a 4xx on
 * a server span. The same split decides what counts against availability SLOs.
 */
export function markFailed(span: Span, error: EmbedlineError): void {
  span.setAttribute(ATTRIBUTES.errorType, error.code);
  if (error.isClientError) return;
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/** Telemetry never throws into the request path: a tracing failure is reported and dropped. */
export function withoutThrowing(what: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    process.emitWarning(`tracing failed (${what}): ${(error as Error).message}`);
  }
}
