import { ConfigError } from '../config/loadConfig.js';
import { configSchema, type EmbedlineConfig } from '../config/schema.js';
import type { ModelVariant } from '../model/variants.js';
import { servedModelId } from './servedModelId.js';

/** One model this process serves: the id requests name it by and the whole config its runtime starts with. */
export interface ServedModelSpec {
  readonly id: string;
  /** The catalogue name or model directory (`model.name` of its config). */
  readonly name: string;
  readonly variant: ModelVariant;
  /** Loaded on its first request rather than at start. */
  readonly lazy: boolean;
  /** The process config with `model` replaced by this entry merged over the `model` section. */
  readonly config: Readonly<EmbedlineConfig>;
}

/**
 * The models a config serves, first (the default for requests that name none) first. Without a
 * `models` list that is the `model` section alone, exactly as a single-model process always ran.
 * An entry inherits every `model` setting it does not set itself (variant, maxTokens, sources,
 * hub settings, autoPull, verifyOnStart); everything outside `model` (encoder, batching,
 * plugins) is the same for all, and each model gets its own copy of it (its own sessions,
 * batcher, precision policy and plugin instances).
 *
 * @example
 * servedModelSpecs(configSchema.parse({ models: ['bge-small-en-v1.5', { id: 'minilm-int8', name: 'all-MiniLM-L6-v2', variant: 'int8' }] }))
 *   .map((s) => s.id); // ['bge-small-en-v1.5', 'minilm-int8']
 */
export function servedModelSpecs(config: Readonly<EmbedlineConfig>): ServedModelSpec[] {
  if (config.models.length === 0) {
    return [{ id: servedModelId(config.model.name), name: config.model.name, variant: config.model.variant, lazy: false, config }];
  }
  return config.models.map((entry) => {
    const own = typeof entry === 'string' ? { name: entry } : entry;
    const model = Object.freeze({
      ...config.model,
      name: own.name,
      variant: ('variant' in own && own.variant) || config.model.variant,
      maxTokens: ('maxTokens' in own && own.maxTokens) || config.model.maxTokens,
    });
    const lazy = 'lazy' in own ? own.lazy === true : false;
    return { id: servedModelId(entry), name: own.name, variant: model.variant, lazy, config: Object.freeze({ ...config, model, models: [] }) };
  });
}

/**
 * The config with the command line's `--model` flags as its `models` list (the flags win over
 * the file and EMBEDLINE_MODELS); no flags leave it as it is.
 */
export function withModelFlags(config: Readonly<EmbedlineConfig>, names: readonly string[] | undefined): Readonly<EmbedlineConfig> {
  if (!names || names.length === 0) return config;
  // Checked like the file's list: a bad or repeated id fails with EMBEDLINE_CONFIG naming it.
  const parsed = configSchema.shape.models.safeParse([...names]);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `--model ${names[Number(issue.path[0])] ?? ''}: ${issue.message}`));
  return Object.freeze({ ...config, models: parsed.data });
}
