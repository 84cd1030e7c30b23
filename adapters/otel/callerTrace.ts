import { context, propagation } from '@opentelemetry/api';

/** Where a caller's trace context travels: HTTP headers, or SQS message attributes read into one. */
export type TraceCarrier = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Runs `work` inside the caller's trace when the carrier holds one (W3C `traceparent` /
 * `tracestate`, the propagator the SDK registers), so whoever called us, over HTTP or through a
 * queue, sees the embedding spans under its own. Without a registered SDK this is the API's no-op.
 *
 * @example
 * const result = await inCallerTrace(request.headers, () => pipeline.embed(texts));
 */
export function inCallerTrace<T>(carrier: TraceCarrier, work: () => Promise<T>): Promise<T> {
  return context.with(propagation.extract(context.active(), carrier), work);
}
