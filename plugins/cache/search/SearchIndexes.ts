import { indexBytesPerVector, openVectorIndex } from '../ann/openVectorIndex.js';
import type { IndexSpec } from '../ann/indexSpec.js';
import type { VectorIndex } from '../ann/VectorIndex.js';
import type { CacheLog } from '../tokens.js';

/** Which stored vectors a search looks at: those of one model variant served in one format. */
export interface SearchScope {
  readonly variant: string;
  readonly format: string;
}

export interface SearchIndexesOptions {
  readonly dimensions: number;
  readonly index: IndexSpec;
  readonly maxBytes: number;
  readonly maxEntries: number;
  readonly storeTexts: boolean;
  readonly log: CacheLog;
  /** For tests: a module that is not there gives the linear-scan fallback. */
  readonly faissModule?: string;
}

export interface StoredHit {
  /** The entry's exact-tier text key without its `t:` prefix. */
  readonly id: string;
  readonly text?: string | undefined;
  readonly score: number;
}

interface Entry {
  readonly scope: ScopeIndex;
  readonly key: string;
  readonly id: number;
  readonly bytes: number;
  readonly text: string | undefined;
}

interface ScopeIndex {
  readonly index: VectorIndex;
  readonly entries: Map<number, Entry>;
}

/** Map slots, the entry record and the id maps, per entry (a rough constant, like the LRU's). */
const ENTRY_OVERHEAD_BYTES = 160;

/**
 * The vectors `/v1/search` searches: one vector index per (variant, format) (the model is the
 * plugin's one model), entries named by their exact-tier text key. An entry leaves when the
 * exact tier drops its key (eviction, expiry: `drop`), or, oldest first, when the indexes
 * would exceed `maxBytes` or `maxEntries`. Texts are kept only with `storeTexts`, and never
 * logged.
 *
 * @example
 * const indexes = new SearchIndexes({ dimensions: 384, index: FLAT_INDEX, maxBytes: 1 << 26, maxEntries: 100_000, storeTexts: false, log });
 * indexes.add({ variant: 'fp32', format: 'float32' }, 't:5d0c…', vector, 'hello');
 * indexes.search({ variant: 'fp32', format: 'float32' }, vector, 1); // [{ id: '5d0c…', score: 1 }]
 */
export class SearchIndexes {
  private readonly scopes = new Map<string, ScopeIndex>();
  /** Every entry by text key, oldest first (insertion order). */
  private readonly byKey = new Map<string, Entry>();
  /** Text keys of search queries being embedded right now: a query is not stored as if it were data. */
  private readonly withheld = new Map<string, number>();
  private readonly vectorBytes: number;
  private usedBytes = 0;
  private nextId = 0;

  constructor(
    private readonly opts: SearchIndexesOptions,
    private readonly onEvicted: (count: number) => void = () => {},
  ) {
    this.vectorBytes = indexBytesPerVector(opts.dimensions, opts.index);
  }

  get stats(): { entries: number; bytes: number } {
    return { entries: this.byKey.size, bytes: this.usedBytes };
  }

  /** Stores a vector the cache computed or served; a key already there (or withheld) is left as it is. */
  add(scope: SearchScope, key: string, vector: Float32Array, text: string): void {
    if (this.byKey.has(key) || this.withheld.has(key)) return;
    const kept = this.opts.storeTexts ? text : undefined;
    const bytes = this.vectorBytes + key.length * 2 + (kept?.length ?? 0) * 2 + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.opts.maxBytes) return;
    let evicted = 0;
    while (this.byKey.size > 0 && (this.usedBytes + bytes > this.opts.maxBytes || this.byKey.size >= this.opts.maxEntries)) {
      this.drop(this.byKey.keys().next().value as string);
      evicted++;
    }
    this.onEvicted(evicted);
    const index = this.scopeIndex(scope);
    const entry: Entry = { scope: index, key, id: this.nextId++, bytes, text: kept };
    index.index.add(entry.id, vector);
    index.entries.set(entry.id, entry);
    this.byKey.set(key, entry);
    this.usedBytes += bytes;
  }

  /** Forgets the entry of a text key (the exact tier dropped it); false when there was none. */
  drop(key: string): boolean {
    const entry = this.byKey.get(key);
    if (!entry) return false;
    entry.scope.index.remove(entry.id);
    entry.scope.entries.delete(entry.id);
    this.byKey.delete(key);
    this.usedBytes -= entry.bytes;
    return true;
  }

  /** Up to k stored neighbours of a unit vector in one scope, best first; none when the scope holds nothing. */
  search(scope: SearchScope, query: Float32Array, k: number): StoredHit[] {
    const index = this.scopes.get(scopeName(scope));
    if (!index) return [];
    return index.index.search(query, k).map((n) => {
      const entry = index.entries.get(n.id)!;
      return { id: entry.key.slice(2), text: entry.text, score: n.score };
    });
  }

  /** Keeps `key` out of the indexes until the returned function is called (while a query text is embedded). */
  withhold(key: string): () => void {
    this.withheld.set(key, (this.withheld.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.withheld.get(key)! - 1;
      if (left === 0) this.withheld.delete(key);
      else this.withheld.set(key, left);
    };
  }

  /** Which index kind answers a scope ('faiss-flat', 'faiss-hnsw', 'linear', …), for tests and logs. */
  kindOf(scope: SearchScope): string | undefined {
    return this.scopes.get(scopeName(scope))?.index.kind;
  }

  private scopeIndex(scope: SearchScope): ScopeIndex {
    const name = scopeName(scope);
    let index = this.scopes.get(name);
    if (!index) {
      index = { index: openVectorIndex(this.opts.dimensions, this.opts.log, this.opts.faissModule, this.opts.index), entries: new Map() };
      this.scopes.set(name, index);
    }
    return index;
  }
}

function scopeName(scope: SearchScope): string {
  return JSON.stringify([scope.variant, scope.format]);
}
