import type { Container, ServiceIdentifier } from 'inversify';
import type { Priority } from '../pipeline/types.js';

/** The most neighbours one search returns. */
export const MAX_SEARCH_K = 1_000;

/** What to search for: a text (embedded through the pipeline first) or a vector, never both. */
export interface SearchQuery {
  readonly text?: string | undefined;
  /** The model's dimensions; normalized before the search, so scores are cosines. */
  readonly vector?: Float32Array | undefined;
  /** How many neighbours, best first. */
  readonly k: number;
  /** The model whose stored vectors are searched (default the served model; another name: EMBEDLINE_MODEL_NOT_FOUND). */
  readonly model?: string | undefined;
  /**
   * The precision whose stored vectors are searched, by name as `/v1/embeddings` takes it
   * (resolved to a model variant and a vector format); undefined: what a request with no
   * precision at normal priority is served.
   */
  readonly precision?: string | undefined;
  /** For a text query: the embedding request's priority (default normal), cancellation and id. */
  readonly priority?: Priority | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly requestId?: string | undefined;
}

/** One neighbour: a stable id (the same text in the same scope always gets the same id), its text if texts are kept, and its cosine to the query. */
export interface SearchHit {
  readonly id: string;
  readonly text?: string | undefined;
  readonly score: number;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly model: string;
  /** The precision name searched (its variant and format picked the index). */
  readonly precision: string;
}

/**
 * k-nearest-neighbour search over the vectors this process has stored (`POST /v1/search`).
 * Bound by the `cache` plugin when `pluginOptions.cache.search.enabled` is true; unbound otherwise.
 *
 * @example
 * const search = await resolveVectorSearch(runtime.container);
 * const { hits } = await search!.search({ text: 'a cat on a mat', k: 5 }); // [{ id: '5d0c…', score: 0.93 }, …]
 */
export interface VectorSearch {
  readonly dimensions: number;
  search(query: SearchQuery): Promise<SearchResult>;
}

export const VECTOR_SEARCH: ServiceIdentifier<VectorSearch> = Symbol.for('embedline.VectorSearch');

/** The bound search, or undefined when no plugin provides one. */
export async function resolveVectorSearch(container: Container): Promise<VectorSearch | undefined> {
  return container.isBound(VECTOR_SEARCH) ? container.getAsync(VECTOR_SEARCH) : undefined;
}
