import { isSpanContextValid, ROOT_CONTEXT, trace, type Span, type SpanContext } from '@opentelemetry/api';
import type { EmbedlineError } from '../errors.js';
import { ATTRIBUTES, markFailed, pipelineTracer, SPAN_NAMES, withoutThrowing } from './tracing.js';
import type { BatchOutcome, Priority, WorkItem } from './types.js';

export interface BatchStart {
  readonly batchId: number;
  readonly items: readonly WorkItem[];
  readonly priority: Priority;
  readonly seqLen: number;
  readonly realTokens: number;
}

/** A request a batch serves: its span, and when its earliest text in the batch was queued. */
interface ServedRequest {
  readonly context: SpanContext;
  enqueuedAt: number;
}

/** The request spans a batch serves, once each, in the order their texts sit in the batch. */
function requestsIn(items: readonly WorkItem[]): ServedRequest[] {
  const bySpan = new Map<string, ServedRequest>();
  for (const item of items) {
    const context = item.spanContext;
    if (!context || !isSpanContextValid(context)) continue;
    const seen = bySpan.get(context.spanId);
    if (seen) seen.enqueuedAt = Math.min(seen.enqueuedAt, item.enqueuedAt);
    else bySpan.set(context.spanId, { context, enqueuedAt: item.enqueuedAt });
  }
  return [...bySpan.values()];
}

const now = (): number => performance.timeOrigin + performance.now();

/**
 * The spans of one inference batch. A batch serves several requests but a span has one parent:
 * the batch span sits under the first request's span, so that trace shows the whole path, and
 * links to every other request's span. Each request also gets a `queue_wait` span (enqueue →
 * dispatch) that links to the batch, so every trace leads to the batch that carried its texts.
 * Inference and pooling run on a worker thread that reports only their durations; their spans
 * are placed back to back, ending when the result arrived.
 *
 * With no SDK registered the request spans are invalid and nothing is created at all.
 *
 * @example
 * const traced = BatchTrace.start({ batchId, items, priority, seqLen, realTokens });
 * scheduler.run(batch).then((outcome) => traced.succeeded(outcome), (error) => traced.failed(error));
 */
export class BatchTrace {
  private constructor(private readonly span: Span | undefined) {}

  static start(batch: BatchStart): BatchTrace {
    const requests = requestsIn(batch.items);
    if (requests.length === 0) return new BatchTrace(undefined);
    let span: Span | undefined;
    withoutThrowing('batch span', () => {
      const dispatchedAt = now();
      span = startBatchSpan(batch, requests, dispatchedAt);
      recordQueueWaits(requests, span, batch.batchId, dispatchedAt);
    });
    return new BatchTrace(span);
  }

  succeeded(outcome: BatchOutcome): void {
    const span = this.span;
    if (!span) return;
    withoutThrowing('batch span end', () => {
      const arrivedAt = now();
      const poolStart = arrivedAt - outcome.poolMs;
      const attributes = { [ATTRIBUTES.device]: outcome.device };
      const parent = trace.setSpan(ROOT_CONTEXT, span);
      pipelineTracer().startSpan(SPAN_NAMES.infer, { startTime: poolStart - outcome.inferMs, attributes }, parent).end(poolStart);
      pipelineTracer().startSpan(SPAN_NAMES.pool, { startTime: poolStart, attributes }, parent).end(arrivedAt);
      span.setAttributes(attributes);
      span.end(arrivedAt);
    });
  }

  failed(error: EmbedlineError): void {
    const span = this.span;
    if (!span) return;
    withoutThrowing('batch span end', () => {
      markFailed(span, error);
      span.end();
    });
  }
}

function startBatchSpan(batch: BatchStart, requests: readonly ServedRequest[], dispatchedAt: number): Span {
  const [first, ...others] = requests;
  const attributes = {
    [ATTRIBUTES.batchId]: batch.batchId,
    [ATTRIBUTES.batchSize]: batch.items.length,
    [ATTRIBUTES.seqLen]: batch.seqLen,
    [ATTRIBUTES.realTokens]: batch.realTokens,
    [ATTRIBUTES.batchRequests]: requests.length,
    [ATTRIBUTES.priority]: batch.priority,
    [ATTRIBUTES.variant]: batch.items[0]!.variant,
  };
  const links = others.map(({ context }) => ({ context }));
  return pipelineTracer().startSpan(SPAN_NAMES.batch, { startTime: dispatchedAt, links, attributes }, trace.setSpanContext(ROOT_CONTEXT, first!.context));
}

/** One finished span per request: from its first text's enqueue to this dispatch, linked to the batch. */
function recordQueueWaits(requests: readonly ServedRequest[], batch: Span, batchId: number, dispatchedAt: number): void {
  const links = [{ context: batch.spanContext() }];
  for (const request of requests) {
    const startTime = Math.min(request.enqueuedAt, dispatchedAt);
    pipelineTracer()
      .startSpan(SPAN_NAMES.queueWait, { startTime, links, attributes: { [ATTRIBUTES.batchId]: batchId } }, trace.setSpanContext(ROOT_CONTEXT, request.context))
      .end(dispatchedAt);
  }
}
