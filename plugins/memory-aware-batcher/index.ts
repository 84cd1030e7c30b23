import { ContainerModule } from 'inversify';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { MemoryReportingDevice, type DeviceMemoryModel } from '../../core/pipeline/batching/MemoryReportingDevice.js';
import { BATCH_FORMER } from '../../core/ports/BatchFormer.js';
import { INFERENCE_DEVICE_FACTORY } from '../../core/ports/InferenceDevice.js';
import { MEMORY_BUDGET, type MemoryBudget } from '../../core/ports/MemoryBudget.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { memoryAwareBatcherConfigSchema, type MemoryAwareBatcherConfig } from './config.js';
import { DeviceBatchBudget } from './DeviceBatchBudget.js';
import { deviceLimit, nvidiaSmiMemory, type GpuMemoryQuery } from './deviceLimits.js';
import { MemoryAwareBatchFormer } from './MemoryAwareBatchFormer.js';
import { MemoryAwareMetrics } from './MemoryAwareMetrics.js';
import { estimateBatchBytes } from './memoryEstimate.js';
import { readModelDimensions, type ModelDimensions } from './modelDimensions.js';
import { MEMORY_AWARE_BATCHER_CONFIG } from './tokens.js';

export const manifest: PluginManifest = {
  name: 'memory-aware-batcher',
  requires: [],
  // The former, not the policy: it composes with predictive-batch-size or rl-batch-agent, which pick the limits it then keeps within memory.
  provides: [BATCH_FORMER],
  description: 'Keeps every batch within its device\'s activation-memory budget (configured, or a CUDA card\'s memory from nvidia-smi), estimated from the model\'s config.json dimensions (rows x len and rows x heads x len^2): long texts get fewer rows. Devices report their limit and batches in flight into the memory port.',
};

/** How the devices estimate and limit memory: the model's dimensions, and the limit per device (deviceLimits). */
export function deviceMemoryModel(config: MemoryAwareBatcherConfig, dims: ModelDimensions, gpuMemory: GpuMemoryQuery = nvidiaSmiMemory): DeviceMemoryModel {
  return {
    estimate: (rows, seqLen) => estimateBatchBytes(dims, rows, seqLen, config.bytesPerElement),
    limit: (spec) => deviceLimit(spec, config, gpuMemory),
  };
}

/**
 * Binds the memory-aware former (the batcher uses it instead of the plain length-aware one) and
 * its metrics, and wraps every device INFERENCE_DEVICE_FACTORY builds so it reports its limit
 * and the estimated peak of its batches into MEMORY_BUDGET (a decoration, not a rebind: either
 * scheduler's devices report).
 */
export const memoryAwareBatcherModule = (config: MemoryAwareBatcherConfig, gpuMemory: GpuMemoryQuery = nvidiaSmiMemory): ContainerModule =>
  new ContainerModule(({ bind, onActivation }) => {
    bind(MEMORY_AWARE_BATCHER_CONFIG).toConstantValue(config);
    bind(MemoryAwareMetrics)
      .toDynamicValue(async (ctx) => new MemoryAwareMetrics(await ctx.getAsync<MemoryBudget>(MEMORY_BUDGET), batchBudget(config, ctx.get(EMBEDLINE_CONFIG).encoder.workers)))
      .inSingletonScope();
    bind(METRICS_REGISTRY).toResolvedValue((metrics: MemoryAwareMetrics) => metrics.registry, [MemoryAwareMetrics]);
    bind(BATCH_FORMER)
      .toDynamicValue(async (ctx) => {
        const dims = await readModelDimensions((await ctx.getAsync(MODEL_RUNTIME)).model.dir);
        const budget = new DeviceBatchBudget(await ctx.getAsync<MemoryBudget>(MEMORY_BUDGET), { budgetBytes: config.budgetBytes, workers: ctx.get(EMBEDLINE_CONFIG).encoder.workers, concurrentBatches: config.concurrentBatches });
        return new MemoryAwareBatchFormer(dims, budget, config.bytesPerElement, await ctx.getAsync(MemoryAwareMetrics));
      })
      .inSingletonScope();
    onActivation(INFERENCE_DEVICE_FACTORY, async (ctx, factory) => {
      const dims = await readModelDimensions((await ctx.getAsync(MODEL_RUNTIME)).model.dir);
      const memory = await ctx.getAsync<MemoryBudget>(MEMORY_BUDGET);
      const model = deviceMemoryModel(config, dims, gpuMemory);
      return (spec) => new MemoryReportingDevice(factory(spec), memory, model);
    });
  });

/** One batch's share of the configured budget, before any device has reported its own. */
export function batchBudget(config: MemoryAwareBatcherConfig, workers: number): number {
  return Math.floor(config.budgetBytes / (config.concurrentBatches ?? workers));
}

export const memoryAwareBatcherPlugin: PluginDefinition<MemoryAwareBatcherConfig> = {
  manifest,
  configSchema: memoryAwareBatcherConfigSchema,
  module: (config) => memoryAwareBatcherModule(config),
};
