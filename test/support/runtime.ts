import type { ContainerModule } from 'inversify';
import { loadConfig } from '../../core/config/loadConfig.js';
import type { EmbedlineConfigInput } from '../../core/config/schema.js';
import { configSchema } from '../../core/config/schema.js';
import type { PluginCatalogue } from '../../core/plugin.js';
import { startEmbedline, type EmbedlineRuntime } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';

/** The cache dir the test run uses (from the environment, like the CLI). */
export function testCacheDir(): string {
  return loadConfig(process.env).cacheDir;
}

/** A real runtime (real model, real workers) with config overrides, for pipeline tests. */
export async function startTestRuntime(overrides: Partial<EmbedlineConfigInput> = {}, modules: readonly ContainerModule[] = [], catalogue: PluginCatalogue = PLUGIN_CATALOGUE): Promise<EmbedlineRuntime> {
  const config = configSchema.parse({ cacheDir: testCacheDir(), ...overrides });
  return startEmbedline(Object.freeze(config), catalogue, modules);
}

/**
 * Each text's vector from a plain runtime (core defaults, no plugins): the reference a plugin
 * test compares its own runtime's vectors with.
 */
export async function defaultPathVectors(texts: readonly string[]): Promise<Map<string, Float32Array>> {
  const plain = await startTestRuntime();
  try {
    const { vectors } = await plain.pipeline.embed(texts);
    return new Map(texts.map((text, i) => [text, vectors[i]!.values]));
  } finally {
    await plain.close();
  }
}
