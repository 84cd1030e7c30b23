import type { ContainerModule } from 'inversify';
import type { z } from 'zod';

/** What a plugin declares about itself; checked before anything is bound. */
export interface PluginManifest {
  readonly name: string;
  /** Plugins that must also be enabled. */
  readonly requires: readonly string[];
  readonly description: string;
}

/**
 * A plugin as the composition root sees it: its manifest, the schema of its config section
 * (`pluginOptions.<name>`), and a factory for its ContainerModule given that parsed section.
 *
 * @example
 * export const memoryPoolPlugin: PluginDefinition<MemoryPoolConfig> = {
 *   manifest: { name: 'memory-pool', requires: [], description: 'Reuses batch tensors' },
 *   configSchema: memoryPoolConfigSchema,
 *   module: (cfg) => new ContainerModule(({ rebind }) => { rebind(TENSOR_ALLOCATOR).toConstantValue(new PooledAllocator(cfg)); }),
 * };
 */
export interface PluginDefinition<Config = unknown> {
  readonly manifest: PluginManifest;
  readonly configSchema: z.ZodType<Config>;
  readonly module: (config: Config) => ContainerModule;
}

/** Every plugin the build knows, by name; passed in by callers so core never imports plugins. */
export type PluginCatalogue = Readonly<Record<string, PluginDefinition<any>>>;
