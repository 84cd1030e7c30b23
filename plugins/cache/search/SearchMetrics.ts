import { Counter, Gauge, type Registry } from 'prom-client';

export interface SearchStats {
  readonly entries: number;
  readonly bytes: number;
}

/** The search tier's metrics, on the cache's registry (registered only with `search.enabled`). */
export class SearchMetrics {
  private readonly queries: Counter<'query'>;
  private readonly evictions: Counter;

  constructor(registry: Registry, stats: () => SearchStats) {
    this.queries = new Counter({ name: 'embedline_cache_search_queries_total', help: 'Searches answered (POST /v1/search), by query kind (text or vector).', labelNames: ['query'], registers: [registry] });
    this.evictions = new Counter({ name: 'embedline_cache_search_evictions_total', help: 'Entries dropped from the search indexes to stay within search.maxBytes or search.maxEntries (entries the exact tier drops are not counted).', registers: [registry] });
    new Gauge({ name: 'embedline_cache_search_entries', help: 'Vectors in the search indexes, all models, variants and formats together.', registers: [registry], collect() { this.set(stats().entries); } });
    new Gauge({ name: 'embedline_cache_search_bytes', help: 'Estimated bytes the search indexes hold: vectors, index structure, ids and stored texts.', registers: [registry], collect() { this.set(stats().bytes); } });
  }

  searched(query: 'text' | 'vector'): void {
    this.queries.inc({ query });
  }

  evicted(count: number): void {
    if (count > 0) this.evictions.inc(count);
  }
}
