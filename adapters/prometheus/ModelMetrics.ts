import { Gauge, Registry } from 'prom-client';
import type { ModelRegistry } from '../../core/models/ModelRegistry.js';
import { estimatedModelMemoryBytes } from '../../core/models/modelMemory.js';

/**
 * Per served model, read from the registry at scrape time: whether it is loaded (a lazy model
 * reads 0 until its first request) and the memory it holds, estimated from its graph files ×
 * sessions (docs/observability.md).
 *
 * @example
 * const modelMetrics = new ModelMetrics(registry);
 * await metricsPage([pipelineMetrics.registry, modelMetrics.registry], …);
 */
export class ModelMetrics {
  readonly registry = new Registry();

  constructor(models: ModelRegistry) {
    new Gauge<'model' | 'state'>({
      name: 'embedline_model_loaded',
      help: 'Whether the served model is loaded (1) or not yet / not any more (0: lazy before its first request, loading, failed); state names which.',
      labelNames: ['model', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const status of models.status()) this.set({ model: status.id, state: status.state }, status.state === 'loaded' ? 1 : 0);
      },
    });
    new Gauge<'model'>({
      name: 'embedline_model_memory_bytes',
      help: 'Estimated memory a loaded model holds: each started graph file size x its sessions, plus the tokenizer (not measured RSS).',
      labelNames: ['model'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { id, runtime } of models.loadedRuntimes()) this.set({ model: id }, await estimatedModelMemoryBytes(runtime));
      },
    });
  }
}
