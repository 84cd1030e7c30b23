import { ContainerModule } from 'inversify';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { DEVICE_SCHEDULER } from '../../core/ports/DeviceScheduler.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR } from '../../core/ports/TensorAllocator.js';
import { sessionTuningFrom } from '../../core/pipeline/LocalDeviceScheduler.js';
import { WEIGHTED_SCHEDULER_CONFIG, weightedSchedulerConfigSchema, type WeightedSchedulerConfig } from './config.js';
import { DeviceMetrics } from './DeviceMetrics.js';
import { DEVICE_FACTORY, type DeviceFactory } from './InferenceDevice.js';
import { DEVICE_PICKER } from './strategies/DevicePicker.js';
import { EarliestCompletionPicker } from './strategies/EarliestCompletionPicker.js';
import { RoundRobinPicker } from './strategies/RoundRobinPicker.js';
import { WeightedDeviceScheduler } from './WeightedDeviceScheduler.js';
import { WorkerDevice } from './WorkerDevice.js';

export const manifest: PluginManifest = {
  name: 'weighted-scheduler',
  requires: [],
  provides: [DEVICE_SCHEDULER],
  description: 'Runs batches on several devices (CPU sessions, WebGPU, CUDA), weighted by measured speed, with quarantine and retry.',
};

/** Replaces the single-device scheduler; devices get their sessions from the loaded model. */
export const weightedSchedulerModule = (config: WeightedSchedulerConfig): ContainerModule =>
  new ContainerModule(({ bind, rebind }) => {
    const metrics = new DeviceMetrics();
    bind(WEIGHTED_SCHEDULER_CONFIG).toConstantValue(config);
    bind(DeviceMetrics).toConstantValue(metrics);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(DEVICE_PICKER).toConstantValue(config.strategy === 'weighted' ? new EarliestCompletionPicker() : new RoundRobinPicker());
    bind(DEVICE_FACTORY)
      .toDynamicValue(async (ctx): Promise<DeviceFactory> => {
        const [embedline, runtime, allocator] = await Promise.all([ctx.getAsync(EMBEDLINE_CONFIG), ctx.getAsync(MODEL_RUNTIME), ctx.getAsync(TENSOR_ALLOCATOR)]);
        const baseTuning = sessionTuningFrom(embedline);
        return (spec) => new WorkerDevice(spec, runtime.model, baseTuning, allocator);
      })
      .inSingletonScope();
    rebind(DEVICE_SCHEDULER).to(WeightedDeviceScheduler).inSingletonScope();
  });

export const weightedSchedulerPlugin: PluginDefinition<WeightedSchedulerConfig> = {
  manifest,
  configSchema: weightedSchedulerConfigSchema,
  module: weightedSchedulerModule,
};
