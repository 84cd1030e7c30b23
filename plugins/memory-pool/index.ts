import { ContainerModule } from 'inversify';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { MEMORY_BUDGET, type MemoryBudget } from '../../core/ports/MemoryBudget.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR } from '../../core/ports/TensorAllocator.js';
import { memoryPoolConfigSchema, type MemoryPoolConfig } from './config.js';
import { MEMORY_POOL_CONFIG } from './tokens.js';
import { MemoryPoolMetrics } from './MemoryPoolMetrics.js';
import { PooledAllocator } from './PooledAllocator.js';

export const manifest: PluginManifest = {
  name: 'memory-pool',
  requires: [],
  provides: [TENSOR_ALLOCATOR],
  description: 'Reuses batch tensor buffers across batches, in capacity classes under a byte budget with LRU release.',
};

/** Replaces the plain allocator with the pool and serves its metrics on /metrics. */
export const memoryPoolModule = (config: MemoryPoolConfig): ContainerModule =>
  new ContainerModule(({ bind, rebind }) => {
    const metrics = new MemoryPoolMetrics();
    bind(MEMORY_POOL_CONFIG).toConstantValue(config);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    // The hidden size (for pre-allocated outputs) comes from the loaded model; the bytes it holds
    // go to the memory port (MEMORY_BUDGET, where core binds one), as reporter `memory-pool`.
    rebind(TENSOR_ALLOCATOR)
      .toDynamicValue(async (ctx) => {
        const memory = await ctx.getAsync<MemoryBudget>(MEMORY_BUDGET, { optional: true });
        return new PooledAllocator(config, metrics, (await ctx.getAsync(MODEL_RUNTIME)).model.dimensions, (held) => memory?.report('memory-pool', held));
      })
      .inSingletonScope();
  });

export const memoryPoolPlugin: PluginDefinition<MemoryPoolConfig> = {
  manifest,
  configSchema: memoryPoolConfigSchema,
  module: memoryPoolModule,
};
