import { EmbedlineError } from '../../../core/errors.js';
import type { EncodePipeline } from '../../../core/pipeline/EncodePipeline.js';
import type { PrecisionPolicy } from '../../../core/ports/PrecisionPolicy.js';
import { MAX_SEARCH_K, type SearchQuery, type SearchResult, type VectorSearch } from '../../../core/ports/VectorSearch.js';
import { scopePrefix, textKey } from '../cacheKey.js';
import type { SearchIndexes } from './SearchIndexes.js';
import type { SearchMetrics } from './SearchMetrics.js';

export interface CacheSearchOptions {
  readonly model: string;
  readonly dimensions: number;
  /** The tokenizer's limit, part of the cache key (as CacheStage computes it). */
  readonly truncation: number;
}

/**
 * The VECTOR_SEARCH port over the cache's search indexes. A text query is embedded through the
 * pipeline first (so it may be served from the cache, and is never stored as data itself); a
 * vector query is normalized. Which index is searched follows from the precision, resolved
 * as for `/v1/embeddings`: its model variant and vector format.
 *
 * @example
 * const search = new CacheSearch(pipeline, policy, indexes, metrics, { model: 'all-MiniLM-L6-v2', dimensions: 384, truncation: 256 });
 * await search.search({ text: 'a cat on a mat', k: 3 }); // { hits: [{ id, score }, …], model, precision: 'fp32' }
 */
export class CacheSearch implements VectorSearch {
  constructor(
    private readonly pipeline: EncodePipeline,
    private readonly precision: PrecisionPolicy,
    private readonly indexes: SearchIndexes,
    private readonly metrics: SearchMetrics,
    private readonly opts: CacheSearchOptions,
  ) {}

  get dimensions(): number {
    return this.opts.dimensions;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const { model, dimensions } = this.opts;
    if (query.model !== undefined && query.model !== model) {
      throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `The model ${JSON.stringify(query.model)} has no stored vectors here; this server serves "${model}".`);
    }
    if (!Number.isInteger(query.k) || query.k < 1 || query.k > MAX_SEARCH_K) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `k must be an integer from 1 to ${MAX_SEARCH_K}.`);
    if ((query.text === undefined) === (query.vector === undefined)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'Send either a text ("input") or a vector ("vector") to search for, not both.');
    const priority = query.priority ?? 'normal';
    const served = this.precision.resolve(query.precision, priority);
    let scope = { variant: served.variant as string, format: served.format as string };
    let vector: Float32Array;
    if (query.text !== undefined) {
      const key = textKey(scopePrefix({ model, variant: served.variant, precision: served.format, truncation: this.opts.truncation }), query.text);
      const release = this.indexes.withhold(key);
      try {
        const result = await this.pipeline.embed([query.text], { priority, precision: query.precision, signal: query.signal, requestId: query.requestId });
        vector = result.vectors[0]!.values;
        scope = { variant: result.precision.variant, format: result.precision.format };
      } finally {
        release();
      }
      this.metrics.searched('text');
    } else {
      vector = unitVector(query.vector!, dimensions);
      this.metrics.searched('vector');
    }
    return { hits: this.indexes.search(scope, vector, query.k), model, precision: served.name };
  }
}

/** The vector scaled to length 1; EMBEDLINE_BAD_INPUT for a wrong length, a non-finite value or zero length. */
function unitVector(vector: Float32Array, dimensions: number): Float32Array {
  if (vector.length !== dimensions) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"vector" has ${vector.length} numbers; this model's vectors have ${dimensions}.`);
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (!Number.isFinite(norm) || norm === 0) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', '"vector" must hold finite numbers and not be all zeros.');
  return vector.map((x) => x / norm);
}
