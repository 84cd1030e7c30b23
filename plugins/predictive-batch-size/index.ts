import { ContainerModule } from 'inversify';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import { adaptiveStatePath, latencyTargets, LearnedStateFile } from '../../core/adaptive/index.js';
import { modelScopedFileName } from '../../core/models/modelScopedCatalogue.js';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { BATCH_SIZE_POLICY, type BatchShape } from '../../core/ports/BatchSizePolicy.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { predictiveBatchSizeConfigSchema, type PredictiveBatchSizeConfig } from './config.js';
import { predictiveStateSchema } from './learnedState.js';
import { PredictiveBatchSizePolicy } from './PredictiveBatchSizePolicy.js';
import { PredictiveMetrics } from './PredictiveMetrics.js';
import { PREDICTIVE_BATCH_SIZE_CONFIG, PREDICTIVE_BATCH_SIZE_POLICY } from './tokens.js';

export const manifest: PluginManifest = {
  name: 'predictive-batch-size',
  requires: [],
  // rl-batch-agent provides the same port: the two are alternative policies, enable one.
  provides: [BATCH_SIZE_POLICY],
  description: 'Batch size and wait from an online latency model (recursive least squares on rows, padded tokens and rows x len^2), maximising throughput within each priority\'s latency target; persists what it learned.',
};

const warn = (line: string): void => process.emitWarning(line, 'EmbedlineAdaptiveBatchingWarning');

/** Builds the policy: loads its persisted state (an invalid file is a warning and a fresh start). */
export async function createPredictivePolicy(config: PredictiveBatchSizeConfig, core: Readonly<EmbedlineConfig>, metrics = new PredictiveMetrics()): Promise<PredictiveBatchSizePolicy> {
  const file = new LearnedStateFile(adaptiveStatePath(core.cacheDir, config.stateFile), predictiveStateSchema);
  const loaded = await file.load();
  if (loaded.problem) warn(`predictive-batch-size: ${loaded.problem}; starting from the static batch shape`);
  const { maxBatchSize, maxBatchTokens, maxWaitMs } = core.batching;
  const staticShape: BatchShape = { maxBatchSize, maxBatchTokens, maxWaitMs };
  return new PredictiveBatchSizePolicy({
    config,
    staticShape,
    targets: latencyTargets(config, core.batching.requestTimeoutMs),
    metrics,
    learned: loaded.state,
    persist: (state) => file.save(state).catch((error: unknown) => warn(`predictive-batch-size: cannot save ${file.path}: ${(error as Error).message}`)),
  });
}

/** Replaces the static batch-size policy with the predictive one and serves its metrics. */
export const predictiveBatchSizeModule = (config: PredictiveBatchSizeConfig): ContainerModule =>
  new ContainerModule(({ bind, rebind }) => {
    const metrics = new PredictiveMetrics();
    bind(PREDICTIVE_BATCH_SIZE_CONFIG).toConstantValue(config);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(PREDICTIVE_BATCH_SIZE_POLICY)
      .toDynamicValue(async (ctx) => createPredictivePolicy(config, ctx.get(EMBEDLINE_CONFIG), metrics))
      .inSingletonScope();
    rebind(BATCH_SIZE_POLICY).toService(PREDICTIVE_BATCH_SIZE_POLICY);
  });

export const predictiveBatchSizePlugin: PluginDefinition<PredictiveBatchSizeConfig> = {
  manifest,
  configSchema: predictiveBatchSizeConfigSchema,
  module: predictiveBatchSizeModule,
  // Several models in one process: `<name>.<model id>.json`, so each learns its own batch costs.
  forModel: (config, modelId) => ({ ...config, stateFile: modelScopedFileName(config.stateFile, modelId) }),
};
