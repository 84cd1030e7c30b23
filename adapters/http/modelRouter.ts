import { EmbedlineError } from '../../core/errors.js';
import { MODEL_CATALOGUE } from '../../core/model/catalogue.js';
import type { ModelRegistry, ServedModelStatus } from '../../core/models/ModelRegistry.js';
import { estimatedModelMemoryBytes } from '../../core/models/modelMemory.js';
import type { EncodePipeline } from '../../core/pipeline/EncodePipeline.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { PRECISION_POLICY } from '../../core/ports/PrecisionPolicy.js';
import { shownValue } from './requestLimits.js';

/** One served model as `GET /v1/models` lists it (OpenAI's fields first, then Embedline's). */
export interface ModelCard {
  readonly id: string;
  readonly object: 'model';
  readonly created: 0;
  readonly owned_by: 'embedline';
  /** The catalogue name or directory behind the id. */
  readonly name: string;
  readonly state: ServedModelStatus['state'];
  readonly lazy: boolean;
  /** The configured variant (precisions may run others). */
  readonly variant: string;
  /** Known once loaded (before that, from the catalogue where it lists the model). */
  readonly dimensions?: number | undefined;
  /** Truncation in tokens, [CLS]/[SEP] included. */
  readonly max_tokens?: number | undefined;
  /** Precision names a request may ask for (`precision` field); known once loaded. */
  readonly precisions?: readonly string[] | undefined;
  /** What the model's own files define (docs/models.md): pooling mode and normalization, prompts by name. */
  readonly pooling?: { readonly mode: string; readonly normalize: boolean } | undefined;
  readonly prompts?: Readonly<Record<string, string>> | undefined;
  /** Estimated from the loaded graphs' file sizes × sessions (docs/observability.md). */
  readonly memory_bytes?: number | undefined;
}

/**
 * What the HTTP routes need of the served models: route a request's `model` field to its
 * pipeline (loading a lazy model), list them, and say how each is doing.
 */
export interface ModelRouter {
  readonly ids: readonly string[];
  readonly defaultId: string;
  /** Undefined or absent: the first served model. Unknown: EMBEDLINE_MODEL_NOT_FOUND (404) naming the served ones. */
  pipeline(model: unknown): Promise<EncodePipeline>;
  cards(): Promise<ModelCard[]>;
  status(): ServedModelStatus[];
}

/** The id a request's `model` field names, checked against the served ones. */
export function requestedModel(ids: readonly string[], model: unknown): string | undefined {
  if (model === undefined) return undefined;
  if (typeof model !== 'string' || !ids.includes(model)) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `The model ${shownValue(model)} does not exist here; this server serves ${ids.map((id) => `"${id}"`).join(', ')}.`, { served: ids });
  }
  return model;
}

/** Routes over a ModelRegistry: several models, each loaded at start or on its first request. */
export function registryRouter(registry: ModelRegistry): ModelRouter {
  return {
    ids: registry.ids,
    defaultId: registry.defaultId,
    pipeline: async (model) => (await registry.runtime(requestedModel(registry.ids, model))).pipeline,
    status: () => registry.status(),
    cards: () =>
      Promise.all(
        registry.status().map(async (status): Promise<ModelCard> => {
          const runtime = registry.loaded(status.id);
          const base = baseCard(status);
          if (!runtime) {
            const known = MODEL_CATALOGUE[status.name];
            return { ...base, dimensions: known?.dimensions, max_tokens: registry.spec(status.id).config.model.maxTokens ?? known?.maxSeqLength };
          }
          const { model, tokenizer } = await runtime.container.getAsync(MODEL_RUNTIME);
          const policy = await runtime.container.getAsync(PRECISION_POLICY);
          const { definition } = model;
          return {
            ...base,
            dimensions: model.dimensions,
            max_tokens: tokenizer.maxTokens,
            precisions: policy.names,
            pooling: definition.pooling,
            prompts: definition.prompts,
            memory_bytes: await estimatedModelMemoryBytes(runtime),
          };
        }),
      ),
  };
}

/**
 * One pipeline under one name (tests, and callers that built their runtime themselves): the
 * router `createHttpServer({ pipeline })` uses when given no registry.
 */
export function singlePipelineRouter(id: string, pipeline: () => EncodePipeline | undefined): ModelRouter {
  const ready = (): EncodePipeline => {
    const current = pipeline();
    if (!current) throw new EmbedlineError('EMBEDLINE_NOT_READY', 'The model is still loading; retry shortly.', { retryAfterSeconds: 2 });
    return current;
  };
  const status = (): ServedModelStatus => ({ id, name: id, variant: 'fp32', lazy: false, state: pipeline() ? 'loaded' : 'loading' });
  return {
    ids: [id],
    defaultId: id,
    pipeline: async (model) => {
      requestedModel([id], model);
      return ready();
    },
    status: () => [status()],
    cards: async () => [{ ...baseCard(status()), dimensions: pipeline()?.dimensions }],
  };
}

function baseCard(status: ServedModelStatus): ModelCard {
  return { id: status.id, object: 'model', created: 0, owned_by: 'embedline', name: status.name, state: status.state, lazy: status.lazy, variant: status.variant };
}
