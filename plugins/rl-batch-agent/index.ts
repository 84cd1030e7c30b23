import { ContainerModule } from 'inversify';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import { modelScopedFileName } from '../../core/models/modelScopedCatalogue.js';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { BATCH_SIZE_POLICY } from '../../core/ports/BatchSizePolicy.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { adaptiveStatePath, latencyTargets, LearnedStateFile } from '../../core/adaptive/index.js';
import { buildArms } from './arms.js';
import { rlBatchAgentConfigSchema, type RlBatchAgentConfig } from './config.js';
import { rlStateSchema } from './learnedState.js';
import { RlBatchAgentPolicy } from './RlBatchAgentPolicy.js';
import { RlMetrics } from './RlMetrics.js';
import { RL_BATCH_AGENT_CONFIG, RL_BATCH_AGENT_POLICY } from './tokens.js';

export const manifest: PluginManifest = {
  name: 'rl-batch-agent',
  requires: [],
  // predictive-batch-size provides the same port: the two are alternative policies, enable one.
  provides: [BATCH_SIZE_POLICY],
  description: 'LinUCB contextual bandit over (max batch, max wait, padding limit) arms, context = queue state, reward = useful tokens/s minus a latency-over-target penalty; capped exploration, static fallback on reward collapse; persists what it learned.',
};

const warn = (line: string): void => process.emitWarning(line, 'EmbedlineAdaptiveBatchingWarning');

/** Builds the agent: loads its persisted state (an invalid file is a warning and a fresh start). */
export async function createRlPolicy(config: RlBatchAgentConfig, core: Readonly<EmbedlineConfig>, metrics = new RlMetrics()): Promise<RlBatchAgentPolicy> {
  const file = new LearnedStateFile(adaptiveStatePath(core.cacheDir, config.stateFile), rlStateSchema);
  const loaded = await file.load();
  if (loaded.problem) warn(`rl-batch-agent: ${loaded.problem}; starting fresh from the static batch shape`);
  const { maxBatchSize, maxBatchTokens, maxWaitMs, maxPaddingRatio } = core.batching;
  return new RlBatchAgentPolicy({
    config,
    arms: buildArms(config, { maxBatchSize, maxBatchTokens, maxWaitMs, maxPaddingRatio }),
    targets: latencyTargets(config, core.batching.requestTimeoutMs),
    metrics,
    learned: loaded.state,
    persist: (state) => file.save(state).catch((error: unknown) => warn(`rl-batch-agent: cannot save ${file.path}: ${(error as Error).message}`)),
  });
}

/** Replaces the static batch-size policy with the bandit and serves its metrics. */
export const rlBatchAgentModule = (config: RlBatchAgentConfig): ContainerModule =>
  new ContainerModule(({ bind, rebind }) => {
    const metrics = new RlMetrics();
    bind(RL_BATCH_AGENT_CONFIG).toConstantValue(config);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(RL_BATCH_AGENT_POLICY)
      .toDynamicValue(async (ctx) => createRlPolicy(config, ctx.get(EMBEDLINE_CONFIG), metrics))
      .inSingletonScope();
    rebind(BATCH_SIZE_POLICY).toService(RL_BATCH_AGENT_POLICY);
  });

export const rlBatchAgentPlugin: PluginDefinition<RlBatchAgentConfig> = {
  manifest,
  configSchema: rlBatchAgentConfigSchema,
  module: rlBatchAgentModule,
  // Several models in one process: `<name>.<model id>.json`, so each learns its own batch costs.
  forModel: (config, modelId) => ({ ...config, stateFile: modelScopedFileName(config.stateFile, modelId) }),
};
