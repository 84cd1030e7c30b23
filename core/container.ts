import { Container, ContainerModule } from 'inversify';
import { SEED_PLUGIN_SWITCHES } from './config/envOverrides.js';
import { ConfigError } from './config/loadConfig.js';
import type { EmbedlineConfig } from './config/schema.js';
import { EMBEDLINE_CONFIG } from './config/tokens.js';
import { PlainAllocator } from './encoder/packBatch.js';
import { EmbedlineError } from './errors.js';
import { openModelRuntime } from './model/openModelRuntime.js';
import type { PluginCatalogue, PluginDefinition } from './plugin.js';
import { BATCH_SIZE_POLICY } from './ports/BatchSizePolicy.js';
import { BATCHER } from './ports/Batcher.js';
import { DEVICE_SCHEDULER } from './ports/DeviceScheduler.js';
import { MODEL_RUNTIME } from './ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR } from './ports/TensorAllocator.js';
import { ENCODE_PIPELINE, EncodePipeline } from './pipeline/EncodePipeline.js';
import { LocalDeviceScheduler } from './pipeline/LocalDeviceScheduler.js';
import { QueueBatcher } from './pipeline/QueueBatcher.js';
import { StaticBatchSizePolicy } from './pipeline/StaticBatchSizePolicy.js';

/** Defaults that ship in core: FIFO priority batcher, static batch shape, one CPU device, plain allocation. */
function coreModule(config: Readonly<EmbedlineConfig>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(EMBEDLINE_CONFIG).toConstantValue(config);
    bind(MODEL_RUNTIME).toDynamicValue(() => openModelRuntime(config)).inSingletonScope();
    bind(TENSOR_ALLOCATOR).toConstantValue(new PlainAllocator());
    bind(BATCH_SIZE_POLICY).to(StaticBatchSizePolicy).inSingletonScope();
    bind(DEVICE_SCHEDULER).to(LocalDeviceScheduler).inSingletonScope();
    bind(BATCHER).to(QueueBatcher).inSingletonScope();
    bind(ENCODE_PIPELINE).to(EncodePipeline).inSingletonScope();
  });
}

/**
 * The composition root. Checks the enabled plugins (known, requirements met, config valid)
 * and fails before binding anything if not; then loads core defaults, plugins (which rebind
 * or add to what they replace), and the caller's overrides, in that order.
 *
 * @example
 * const container = buildContainer(loadConfig(process.env), PLUGIN_CATALOGUE, [prometheusModule(registry)]);
 * const pipeline = await container.getAsync(ENCODE_PIPELINE);
 */
export function buildContainer(config: Readonly<EmbedlineConfig>, catalogue: PluginCatalogue, overrides: readonly ContainerModule[] = []): Container {
  const plugins = resolvePlugins(config, catalogue);
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(coreModule(config));
  for (const { definition, options } of plugins) container.load(definition.module(options));
  if (overrides.length > 0) container.load(...overrides);
  return container;
}

/** Names the seed switch that asked for a plugin this build lacks, so the fix is obvious. */
function seedSwitchHint(plugin: string): string {
  const switches = Object.entries(SEED_PLUGIN_SWITCHES).filter(([, name]) => name === plugin).map(([env]) => env);
  return switches.length > 0 ? ` (enabled by ${switches.join(' or ')}; this build does not have that plugin yet: unset the switch)` : '';
}

/** Checks the enabled plugins (known, config valid, requirements met) without binding anything; `config print` uses it too. */
export function resolvePlugins(config: Readonly<EmbedlineConfig>, catalogue: PluginCatalogue): { definition: PluginDefinition; options: unknown }[] {
  const problems: string[] = [];
  const enabled = [...new Set(config.plugins)];
  for (const name of enabled) {
    if (!catalogue[name]) problems.push(`plugins: unknown plugin "${name}"${seedSwitchHint(name)}; known plugins: ${Object.keys(catalogue).join(', ') || '(none)'}`);
  }
  for (const name of Object.keys(config.pluginOptions)) {
    if (!catalogue[name]) problems.push(`pluginOptions.${name}: no such plugin`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const resolved = enabled.map((name) => {
    const definition = catalogue[name]!;
    const parsed = definition.configSchema.safeParse(config.pluginOptions[name] ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`pluginOptions.${name}.${issue.path.join('.')}: ${issue.message}`);
    }
    return { definition, options: parsed.success ? parsed.data : undefined };
  });
  if (problems.length > 0) throw new ConfigError(problems);

  for (const { definition } of resolved) {
    const missing = definition.manifest.requires.filter((r) => !enabled.includes(r));
    if (missing.length > 0) {
      throw new EmbedlineError('EMBEDLINE_PLUGIN_MISSING', `Plugin "${definition.manifest.name}" requires ${missing.map((m) => `"${m}"`).join(', ')}; add ${missing.length > 1 ? 'them' : 'it'} to "plugins".`, { plugin: definition.manifest.name, missing });
    }
  }
  return resolved;
}
