import type { ContainerModule, ServiceIdentifier } from 'inversify';
import type { z } from 'zod';

/** What a plugin declares about itself; checked before anything is bound. */
export interface PluginManifest {
  readonly name: string;
  readonly description: string;
  /** Plugins that must also be enabled. */
  readonly requires: readonly string[];
  /**
   * Core ports this plugin replaces (rebinds). A port has one implementation, so two enabled
   * plugins that provide the same port are a start-up error (`EMBEDLINE_PLUGIN_CONFLICT`), never
   * last-one-wins; rebinding a port not listed here is the same error. Adding to multi-bound
   * ports (request and result stages, observers, metrics registries) needs no declaration.
   */
  readonly provides: readonly ServiceIdentifier[];
}

/**
 * A plugin as the composition root sees it: its manifest, the schema of its config section
 * (`pluginOptions.<name>`), and a factory for its ContainerModule given that parsed section.
 *
 * @example
 * export const memoryPoolPlugin: PluginDefinition<MemoryPoolConfig> = {
 *   manifest: { name: 'memory-pool', description: 'Reuses batch tensors', requires: [], provides: [TENSOR_ALLOCATOR] },
 *   configSchema: memoryPoolConfigSchema,
 *   module: (cfg) => new ContainerModule(({ rebind }) => { rebind(TENSOR_ALLOCATOR).toConstantValue(new PooledAllocator(cfg)); }),
 * };
 */
export interface PluginDefinition<Config = unknown> {
  readonly manifest: PluginManifest;
  readonly configSchema: z.ZodType<Config>;
  // Method syntax on purpose: the catalogue holds plugins of different config types, and the
  // composition root only ever passes a section that `configSchema` has just parsed.
  module(config: Config): ContainerModule;
  /**
   * A process that serves several models starts one runtime per model, each with this plugin:
   * given its parsed section and the model's served id, returns the section with every file or
   * key the plugin persists made that model's own, so two models never overwrite each other's
   * state. Absent: the plugin persists nothing per model.
   */
  forModel?(config: Config, modelId: string): Config;
}

/** Every plugin the build knows, by name; passed in by callers so core never imports plugins. */
export type PluginCatalogue = Readonly<Record<string, PluginDefinition>>;
