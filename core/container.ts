import { type BindingIdentifier, Container, ContainerModule, type ServiceIdentifier } from 'inversify';
import { SEED_PLUGIN_SWITCHES } from './config/envOverrides.js';
import { ConfigError } from './config/loadConfig.js';
import type { EmbedlineConfig } from './config/schema.js';
import { EMBEDLINE_CONFIG } from './config/tokens.js';
import { PlainAllocator } from './encoder/packBatch.js';
import { workerPoolDeviceFactory } from './encoder/WorkerPoolDevice.js';
import { EmbedlineError } from './errors.js';
import { openModelRuntime } from './model/openModelRuntime.js';
import type { PluginCatalogue, PluginDefinition, PluginManifest } from './plugin.js';
import { BATCH_SIZE_POLICY } from './ports/BatchSizePolicy.js';
import { BATCHER } from './ports/Batcher.js';
import { DEVICE_SCHEDULER } from './ports/DeviceScheduler.js';
import { INFERENCE_DEVICE_FACTORY } from './ports/InferenceDevice.js';
import { MODEL_RUNTIME } from './ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR } from './ports/TensorAllocator.js';
import { ENCODE_PIPELINE, EncodePipeline } from './pipeline/EncodePipeline.js';
import { LocalDeviceScheduler } from './pipeline/LocalDeviceScheduler.js';
import { QueueBatcher } from './pipeline/QueueBatcher.js';
import { InMemoryBudget } from './pipeline/batching/InMemoryBudget.js';
import { MEMORY_BUDGET } from './ports/MemoryBudget.js';
import { StaticBatchSizePolicy } from './pipeline/StaticBatchSizePolicy.js';
import { PRECISION_POLICY } from './ports/PrecisionPolicy.js';
import { Fp32PrecisionPolicy } from './precision/Fp32PrecisionPolicy.js';

/** Defaults that ship in core: FIFO priority batcher, static batch shape, one CPU device, plain allocation. */
function coreModule(config: Readonly<EmbedlineConfig>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(EMBEDLINE_CONFIG).toConstantValue(config);
    bind(MODEL_RUNTIME).toDynamicValue(() => openModelRuntime(config)).inSingletonScope();
    bind(TENSOR_ALLOCATOR).toConstantValue(new PlainAllocator());
    bind(BATCH_SIZE_POLICY).to(StaticBatchSizePolicy).inSingletonScope();
    bind(INFERENCE_DEVICE_FACTORY).toDynamicValue(workerPoolDeviceFactory).inSingletonScope();
    bind(DEVICE_SCHEDULER).to(LocalDeviceScheduler).inSingletonScope();
    bind(MEMORY_BUDGET).to(InMemoryBudget).inSingletonScope();
    bind(BATCHER).to(QueueBatcher).inSingletonScope();
    bind(PRECISION_POLICY).to(Fp32PrecisionPolicy).inSingletonScope();
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
  for (const { definition, options } of plugins) container.load(guardedModule(definition, definition.module(options)));
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

  checkProvidedPorts(resolved.map((r) => r.definition.manifest));
  for (const { definition } of resolved) {
    const missing = definition.manifest.requires.filter((r) => !enabled.includes(r));
    if (missing.length > 0) {
      throw new EmbedlineError('EMBEDLINE_PLUGIN_MISSING', `Plugin "${definition.manifest.name}" requires ${missing.map((m) => `"${m}"`).join(', ')}; add ${missing.length > 1 ? 'them' : 'it'} to "plugins".`, { plugin: definition.manifest.name, missing });
    }
  }
  return resolved;
}

/** A port's readable name: its symbol's description (`embedline.DeviceScheduler`). */
function portName(port: ServiceIdentifier): string {
  if (typeof port === 'symbol') return port.description ?? port.toString();
  return typeof port === 'function' ? port.name : String(port);
}

/** Two enabled plugins may not replace the same port: which one wins would depend on list order. */
function checkProvidedPorts(manifests: readonly PluginManifest[]): void {
  const owner = new Map<ServiceIdentifier, string>();
  for (const manifest of manifests) {
    for (const port of manifest.provides) {
      const other = owner.get(port);
      if (other) {
        throw new EmbedlineError('EMBEDLINE_PLUGIN_CONFLICT', `Plugins "${other}" and "${manifest.name}" both provide ${portName(port)}; enable one of them.`, { port: portName(port), plugins: [other, manifest.name] });
      }
      owner.set(port, manifest.name);
    }
  }
}

/**
 * Loads a plugin's module through load options that refuse to rebind or unbind a port the
 * manifest does not declare in `provides`, so the conflict check above cannot be bypassed
 * by a plugin that forgot to declare what it replaces.
 */
function guardedModule(definition: PluginDefinition, module: ContainerModule): ContainerModule {
  const { name, provides } = definition.manifest;
  const declared = (port: ServiceIdentifier, verb: string): void => {
    if (!provides.includes(port)) {
      throw new EmbedlineError('EMBEDLINE_PLUGIN_CONFLICT', `Plugin "${name}" ${verb}s ${portName(port)} but its manifest does not list it in "provides".`, { plugin: name, port: portName(port) });
    }
  };
  // A BindingIdentifier (an object with a numeric id) names one of the plugin's own bindings.
  const ownBinding = (id: BindingIdentifier | ServiceIdentifier): id is BindingIdentifier => typeof id === 'object' && id !== null && 'id' in id;
  return new ContainerModule((options) =>
    module.load({
      ...options,
      rebind: (port) => {
        declared(port, 'rebind');
        return options.rebind(port);
      },
      rebindAsync: async (port) => {
        declared(port, 'rebind');
        return options.rebindAsync(port);
      },
      unbind: (id) => {
        if (!ownBinding(id)) declared(id, 'unbind');
        options.unbind(id);
      },
      unbindAsync: async (id) => {
        if (!ownBinding(id)) declared(id, 'unbind');
        await options.unbindAsync(id);
      },
    }),
  );
}
