import { context, propagation, trace } from '@opentelemetry/api';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { packageVersion } from './packageVersion.js';
import { spanProcessorsFor } from './spanProcessors.js';

/** The tracing SDK as started for this process. */
export interface Tracing {
  /** False when no processor was configured: the SDK was not registered and spans stay no-ops. */
  readonly enabled: boolean;
  /** Sends the spans finished so far; a Lambda calls it before returning, since it may be frozen after. */
  flush(): Promise<void>;
  /** Flushes pending spans and unregisters the SDK, so a later `startTracing` can register again. */
  shutdown(): Promise<void>;
}

const DISABLED: Tracing = { enabled: false, flush: async () => {}, shutdown: async () => {} };

/**
 * Registers the OpenTelemetry SDK globally, so the spans core creates through
 * `@opentelemetry/api` are recorded, and sends them where `tracing` says. Call once per process,
 * before the runtime starts. With `exporter: none` and no extra processors it registers nothing,
 * keeping tracing's cost at the API's no-ops. `extraProcessors` lets tests collect spans in memory.
 *
 * @example
 * const tracing = startTracing(config.tracing);
 * // ... serve ...
 * await tracing.shutdown();
 *
 * const exporter = new InMemorySpanExporter();   // in a test
 * const tracing = startTracing(config.tracing, { extraProcessors: [new SimpleSpanProcessor(exporter)] });
 */
export function startTracing(tracing: EmbedlineConfig['tracing'], options: { extraProcessors?: readonly SpanProcessor[] } = {}): Tracing {
  const spanProcessors = [...spanProcessorsFor(tracing), ...(options.extraProcessors ?? [])];
  if (spanProcessors.length === 0) return DISABLED;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: tracing.serviceName, [ATTR_SERVICE_VERSION]: packageVersion() }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(tracing.sampleRatio) }),
    spanProcessors,
  });
  // Also installs the AsyncLocalStorage context manager that parents spans across awaits.
  provider.register();
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
