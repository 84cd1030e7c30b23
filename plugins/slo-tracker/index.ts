import { ContainerModule } from 'inversify';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { METRICS_REGISTRY, type MetricsRegistry } from '../../core/ports/MetricsRegistry.js';
import { PIPELINE_OBSERVER } from '../../core/ports/PipelineObserver.js';
import { monotonicClock } from './clock.js';
import { sloTrackerConfigSchema, type SloTrackerConfig } from './config.js';
import { SloMetrics } from './SloMetrics.js';
import { SloTracker } from './SloTracker.js';
import { SLO_CLOCK, SLO_TRACKER_CONFIG } from './tokens.js';

export const manifest: PluginManifest = {
  name: 'slo-tracker',
  requires: [],
  provides: [],
  description: 'Availability and latency SLOs per priority: SLIs over rolling windows, error budget, multi-window burn rates, as Prometheus metrics',
};

/** Observes finished requests and serves its metrics through METRICS_REGISTRY; changes nothing in the pipeline. */
export const sloTrackerModule = (config: SloTrackerConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(SLO_TRACKER_CONFIG).toConstantValue(config);
    bind(SLO_CLOCK).toConstantValue(monotonicClock);
    bind(SloTracker).toSelf().inSingletonScope();
    bind(PIPELINE_OBSERVER).toService(SloTracker);
    bind(SloMetrics).toSelf().inSingletonScope();
    bind(METRICS_REGISTRY).toResolvedValue((metrics: SloMetrics): MetricsRegistry => metrics.registry, [SloMetrics]);
  });

export const sloTrackerPlugin: PluginDefinition<SloTrackerConfig> = {
  manifest,
  configSchema: sloTrackerConfigSchema,
  module: sloTrackerModule,
};
