import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Fine near 1, where healthy quantized vectors sit; coarse below, where only binary lives. */
export const SHADOW_COSINE_BUCKETS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999, 1];

export type ShadowSkipReason = 'overloaded' | 'failed';

/**
 * The plugin's Prometheus metrics on a Registry of its own (bound to METRICS_REGISTRY, so
 * `/metrics` serves it): the shadow check's cosines and the configured floor they are alerted
 * against (config/prometheus/alerts.yml, EmbedlineShadowCosineLow).
 *
 * @example
 * const metrics = new PrecisionMetrics();
 * metrics.observeCosine('int8', 0.991);
 */
export class PrecisionMetrics {
  readonly registry = new Registry();
  private readonly cosine = new Histogram<'precision'>({ name: 'embedline_precision_shadow_cosine', help: 'Cosine between a served vector (dequantized) and the fp32 model\'s vector of the same text, for sampled quantized requests.', labelNames: ['precision'], buckets: SHADOW_COSINE_BUCKETS, registers: [this.registry] });
  private readonly skipped = new Counter<'reason'>({ name: 'embedline_precision_shadow_skipped_total', help: 'Sampled shadow texts not checked: the queue refused them (overloaded), or their fp32 batch failed or the process was closing (failed).', labelNames: ['reason'], registers: [this.registry] });
  private readonly floor = new Gauge<'precision'>({ name: 'embedline_precision_shadow_cosine_floor', help: 'Configured lowest acceptable 1st-percentile shadow cosine per precision.', labelNames: ['precision'], registers: [this.registry] });

  observeCosine(precision: string, value: number): void {
    this.cosine.observe({ precision }, value);
  }

  skip(reason: ShadowSkipReason, texts: number): void {
    this.skipped.inc({ reason }, texts);
  }

  setFloor(precision: string, value: number): void {
    this.floor.set({ precision }, value);
  }
}
