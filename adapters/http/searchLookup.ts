import type { ModelRegistry } from '../../core/models/ModelRegistry.js';
import { resolveVectorSearch, type VectorSearch } from '../../core/ports/VectorSearch.js';
import type { EmbedlineRuntime } from '../../core/runtime.js';
import { requestedModel } from './modelRouter.js';

/**
 * The search of the model a request names (its `model` field; undefined: the default model),
 * with the id it answers under; `search` is undefined when that model's plugins bind none.
 * An unknown model throws EMBEDLINE_MODEL_NOT_FOUND naming the served ones.
 */
export type SearchLookup = (model: unknown) => Promise<{ readonly model: string; readonly search: VectorSearch | undefined }>;

/** What createHttpServer knows that tells it where the search is. */
export interface SearchLookupDeps {
  readonly config: { readonly model: { readonly name: string } };
  /** Given explicitly (tests, one runtime): used as is. */
  readonly vectorSearch?: SearchLookup | undefined;
  /** The served models: each model's runtime binds its own search (or none). */
  readonly models?: ModelRegistry | undefined;
}

/** The lookup for createHttpServer: the explicit one, else the served models', else none (every search answers EMBEDLINE_NOT_ENABLED). */
export function searchLookup(deps: SearchLookupDeps): SearchLookup {
  if (deps.vectorSearch) return deps.vectorSearch;
  const { models } = deps;
  if (models) {
    return async (model) => {
      const id = requestedModel(models.ids, model) ?? models.defaultId;
      return { model: id, search: await resolveVectorSearch((await models.runtime(id)).container) };
    };
  }
  const id = deps.config.model.name;
  return async (model) => {
    requestedModel([id], model);
    return { model: id, search: undefined };
  };
}

/**
 * One runtime serving one model (tests, bench): its search, resolved on first use.
 *
 * @example
 * createHttpServer({ config, metrics, pipeline: () => runtime.pipeline, vectorSearch: runtimeSearch('all-MiniLM-L6-v2', runtime) });
 */
export function runtimeSearch(id: string, runtime: EmbedlineRuntime): SearchLookup {
  let search: Promise<VectorSearch | undefined> | undefined;
  return async (model) => {
    requestedModel([id], model);
    return { model: id, search: await (search ??= resolveVectorSearch(runtime.container)) };
  };
}
