import { ContainerModule } from 'inversify';
import type { PluginDefinition, PluginManifest } from '../../core/plugin.js';
import { BATCHER } from '../../core/ports/Batcher.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { PRECISION_POLICY } from '../../core/ports/PrecisionPolicy.js';
import { RESULT_STAGE } from '../../core/ports/ResultStage.js';
import { readModelCalibration } from '../../core/precision/modelCalibration.js';
import { precisionConfigSchema, type PrecisionConfig } from './config.js';
import { PrecisionMetrics } from './PrecisionMetrics.js';
import { PrecisionRouter } from './PrecisionRouter.js';
import { ShadowCheck } from './ShadowCheck.js';
import { PRECISION_CONFIG, PRECISION_SHADOW_SAMPLER, type ShadowSampler } from './tokens.js';

export const manifest: PluginManifest = {
  name: 'precision',
  requires: [],
  provides: [PRECISION_POLICY],
  description: 'Precision per request: an explicit precision or the priority\'s picks the model variant (fp32, int8) and the vector format (float32 … ubinary, calibrated); shadow fp32 quality check',
};

/** Replaces core's fp32-only policy with the configured table, and adds the shadow check. */
export const precisionModule = (config: PrecisionConfig): ContainerModule =>
  new ContainerModule(({ bind, rebind }) => {
    const metrics = new PrecisionMetrics();
    bind(PRECISION_CONFIG).toConstantValue(config);
    bind(PRECISION_SHADOW_SAMPLER).toConstantValue(Math.random);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(PrecisionMetrics).toConstantValue(metrics);
    // The calibration lives in the loaded model's directory.
    rebind(PRECISION_POLICY)
      .toDynamicValue(async (ctx) => {
        const router = new PrecisionRouter(config, await readModelCalibration((await ctx.getAsync(MODEL_RUNTIME)).model.dir));
        for (const name of router.names) metrics.setFloor(name, config.shadow.floors[router.resolve(name, 'normal').format]);
        return router;
      })
      .inSingletonScope();
    bind(ShadowCheck)
      .toDynamicValue(async (ctx) => {
        const [policy, batcher] = await Promise.all([ctx.getAsync(PRECISION_POLICY), ctx.getAsync(BATCHER)]);
        const sampler: ShadowSampler = ctx.get(PRECISION_SHADOW_SAMPLER);
        return new ShadowCheck(policy, batcher, metrics, config.shadow.sampleRate, sampler);
      })
      .inSingletonScope();
    bind(RESULT_STAGE).toService(ShadowCheck);
  });

export const precisionPlugin: PluginDefinition<PrecisionConfig> = {
  manifest,
  configSchema: precisionConfigSchema,
  module: precisionModule,
};
