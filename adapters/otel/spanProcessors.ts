import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { EmbedlineConfig } from '../../core/config/schema.js';

/**
 * Where finished spans go, from the `tracing` config. OTLP spans are batched and sent off the
 * request path; a collector that is down costs dropped spans and a diagnostic, never a request.
 */
export function spanProcessorsFor(tracing: EmbedlineConfig['tracing']): SpanProcessor[] {
  switch (tracing.exporter) {
    case 'none':
      return [];
    case 'otlp':
      return [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracing.endpoint }))];
  }
}
