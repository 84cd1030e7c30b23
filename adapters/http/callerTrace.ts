import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation } from '@opentelemetry/api';

/**
 * Runs `work` inside the caller's trace when the request carries one (W3C `traceparent` /
 * `tracestate`, the propagator the SDK registers), so a service calling us over HTTP sees the
 * embedding spans under its own. Without a registered SDK this is the API's no-op.
 *
 * @example
 * const result = await inCallerTrace(request.headers, () => pipeline.embed(texts));
 */
export function inCallerTrace<T>(headers: IncomingHttpHeaders, work: () => Promise<T>): Promise<T> {
  return context.with(propagation.extract(context.active(), headers), work);
}
