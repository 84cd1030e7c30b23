import type { ServiceIdentifier } from 'inversify';

/**
 * A source of Prometheus exposition text. Plugins with their own metrics bind their registry
 * here (prom-client's `Registry` fits as is) and `/metrics` serves all of them together.
 *
 * @example
 * bind(METRICS_REGISTRY).toConstantValue(sloRegistry);
 */
export interface MetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export const METRICS_REGISTRY: ServiceIdentifier<MetricsRegistry> = Symbol.for('embedline.MetricsRegistry');
