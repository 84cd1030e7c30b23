import type { ContainerModule } from 'inversify';
import type { PluginCatalogue, PluginDefinition } from '../plugin.js';

/**
 * The catalogue one model's runtime is built from when a process serves several models: each
 * plugin that persists state (`forModel`) gets its section scoped to that model before its module
 * is made, so learned batch shapes and cache snapshots stay per model.
 *
 * @example
 * startEmbedline(spec.config, modelScopedCatalogue(PLUGIN_CATALOGUE, spec.id));
 */
export function modelScopedCatalogue(catalogue: PluginCatalogue, modelId: string): PluginCatalogue {
  return Object.fromEntries(Object.entries(catalogue).map(([name, definition]) => [name, scoped(definition, modelId)]));
}

function scoped(definition: PluginDefinition, modelId: string): PluginDefinition {
  const { forModel } = definition;
  if (!forModel) return definition;
  return {
    ...definition,
    module: (config: unknown): ContainerModule => definition.module(forModel.call(definition, config, modelId)),
  };
}

/**
 * A file name or path with the model id before its extension: `cache.snapshot` →
 * `cache.bge-small-en-v1.5.snapshot`, `s3://b/cache/snap.bin` → `s3://b/cache/snap.bge-small-en-v1.5.bin`.
 * Only the last path segment changes; one without an extension gets `.<id>` appended.
 */
export function modelScopedFileName(path: string, modelId: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const file = path.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  return dot > 0 ? `${dir}${file.slice(0, dot)}.${modelId}${file.slice(dot)}` : `${dir}${file}.${modelId}`;
}
