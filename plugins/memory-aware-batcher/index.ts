import { ContainerModule } from 'inversify';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { BATCH_FORMER } from '../../core/ports/BatchFormer.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { memoryAwareBatcherConfigSchema, type MemoryAwareBatcherConfig } from './config.js';
import { MemoryAwareBatchFormer } from './MemoryAwareBatchFormer.js';
import { MemoryAwareMetrics } from './MemoryAwareMetrics.js';
import { readModelDimensions } from './modelDimensions.js';
import { MEMORY_AWARE_BATCHER_CONFIG } from './tokens.js';

export const manifest: PluginManifest = {
  name: 'memory-aware-batcher',
  requires: [],
  // The former, not the policy: it composes with predictive-batch-size or rl-batch-agent, which pick the limits it then keeps within memory.
  provides: [BATCH_FORMER],
  description: 'Keeps every batch within a per-device activation-memory budget, estimated from the model\'s config.json dimensions (rows x len and rows x heads x len^2): long texts get fewer rows.',
};

/** Binds the memory-aware former (the batcher uses it instead of the plain length-aware one) and its metrics. */
export const memoryAwareBatcherModule = (config: MemoryAwareBatcherConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(MEMORY_AWARE_BATCHER_CONFIG).toConstantValue(config);
    bind(MemoryAwareMetrics)
      .toDynamicValue((ctx) => new MemoryAwareMetrics(batchBudget(config, ctx.get(EMBEDLINE_CONFIG).encoder.workers)))
      .inSingletonScope();
    bind(METRICS_REGISTRY).toResolvedValue((metrics: MemoryAwareMetrics) => metrics.registry, [MemoryAwareMetrics]);
    bind(BATCH_FORMER)
      .toDynamicValue(async (ctx) => {
        const dims = await readModelDimensions((await ctx.getAsync(MODEL_RUNTIME)).model.dir);
        const budget = batchBudget(config, ctx.get(EMBEDLINE_CONFIG).encoder.workers);
        return new MemoryAwareBatchFormer(dims, budget, config.bytesPerElement, ctx.get(MemoryAwareMetrics));
      })
      .inSingletonScope();
  });

/** One batch's share of the device budget. */
export function batchBudget(config: MemoryAwareBatcherConfig, workers: number): number {
  return Math.floor(config.budgetBytes / (config.concurrentBatches ?? workers));
}

export const memoryAwareBatcherPlugin: PluginDefinition<MemoryAwareBatcherConfig> = {
  manifest,
  configSchema: memoryAwareBatcherConfigSchema,
  module: memoryAwareBatcherModule,
};
