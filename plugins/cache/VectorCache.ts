import type { ByteLru } from './ByteLru.js';
import type { CacheMetrics } from './CacheMetrics.js';
import type { RedisTier } from './redis/RedisTier.js';

/**
 * The exact tiers together: this process's byte-bounded LRU in front of the optional shared Redis
 * tier. Vectors are fp32 (what the pipeline settles texts with); entries are never handed out
 * or taken in by reference, so a caller that changes its vector cannot change the cache.
 *
 * @example
 * const cache = new VectorCache(lru, undefined, metrics);
 * cache.put([['t:5d0c…', vector]]);
 * cache.getLocal('t:5d0c…'); // a copy of vector
 */
export class VectorCache {
  constructor(
    private readonly lru: ByteLru<Float32Array>,
    readonly shared: RedisTier | undefined,
    private readonly metrics: CacheMetrics,
  ) {
    metrics.watch(() => lru.stats);
  }

  getLocal(key: string): Float32Array | undefined {
    return this.lru.get(key)?.slice();
  }

  /**
   * One Redis round trip for all keys; what it finds is kept locally too. `undefined` when there
   * is no shared tier or it could not answer.
   */
  async getShared(keys: readonly string[]): Promise<(Float32Array | undefined)[] | undefined> {
    if (!this.shared || keys.length === 0) return undefined;
    const found = await this.shared.lookup(keys);
    found?.forEach((vector, i) => {
      if (vector) this.metrics.evicted(this.lru.set(keys[i]!, vector.slice()));
    });
    return found;
  }

  /** The in-process tier's live entries with the milliseconds each has left, least recently used first (for snapshots). */
  localEntries(): IterableIterator<readonly [string, Float32Array, number]> {
    return this.lru.entries();
  }

  /** Puts snapshot entries back in the in-process tier, keeping what TTL each had left. */
  restoreLocal(entries: Iterable<readonly [string, Float32Array, number]>): void {
    for (const [key, vector, ttlLeftMs] of entries) this.metrics.evicted(this.lru.set(key, vector, ttlLeftMs));
  }

  /** Stores locally and, in one pipelined write the caller does not wait for, in Redis. */
  put(entries: readonly (readonly [string, Float32Array])[]): void {
    const owned = entries.map(([key, vector]) => [key, vector.slice()] as const);
    for (const [key, vector] of owned) this.metrics.evicted(this.lru.set(key, vector));
    this.shared?.store(owned);
  }
}
