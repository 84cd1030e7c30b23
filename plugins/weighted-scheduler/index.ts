import { ContainerModule } from 'inversify';
import { performance } from 'node:perf_hooks';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { DEVICE_SCHEDULER } from '../../core/ports/DeviceScheduler.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { weightedSchedulerConfigSchema, type WeightedSchedulerConfig } from './config.js';
import { DeviceMetrics } from './DeviceMetrics.js';
import { EarliestCompletionPicker } from './strategies/EarliestCompletionPicker.js';
import { RoundRobinPicker } from './strategies/RoundRobinPicker.js';
import { DEVICE_PICKER, LANE_CLOCK, WEIGHTED_SCHEDULER_CONFIG } from './tokens.js';
import { WeightedDeviceScheduler } from './WeightedDeviceScheduler.js';

export const manifest: PluginManifest = {
  name: 'weighted-scheduler',
  requires: [],
  provides: [DEVICE_SCHEDULER],
  description: 'Runs batches on several devices (CPU sessions, WebGPU, CUDA), weighted by measured speed, with quarantine and retry.',
};

/** Replaces the single-device scheduler; its devices come from core's INFERENCE_DEVICE_FACTORY. */
export const weightedSchedulerModule = (config: WeightedSchedulerConfig): ContainerModule =>
  new ContainerModule(({ bind, rebind }) => {
    const metrics = new DeviceMetrics();
    bind(WEIGHTED_SCHEDULER_CONFIG).toConstantValue(config);
    bind(DeviceMetrics).toConstantValue(metrics);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(LANE_CLOCK).toConstantValue(() => performance.now());
    bind(DEVICE_PICKER).toConstantValue(config.strategy === 'weighted' ? new EarliestCompletionPicker() : new RoundRobinPicker());
    rebind(DEVICE_SCHEDULER).to(WeightedDeviceScheduler).inSingletonScope();
  });

export const weightedSchedulerPlugin: PluginDefinition<WeightedSchedulerConfig> = {
  manifest,
  configSchema: weightedSchedulerConfigSchema,
  module: weightedSchedulerModule,
};
