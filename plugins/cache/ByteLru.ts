/** Bytes charged per entry on top of its value and key: the Map slot and the record. */
export const ENTRY_OVERHEAD_BYTES = 96;

export interface LruStats {
  readonly entries: number;
  readonly bytes: number;
}

export interface ByteLruOptions<V> {
  readonly maxBytes: number;
  /** 0 = no expiry. */
  readonly ttlMs: number;
  readonly sizeOf: (value: V) => number;
  /** Milliseconds; only differences matter. Tests pass their own to move time by hand. */
  readonly now: () => number;
  /** Told each key that leaves the map by eviction, expiry or delete (not when a key is replaced): the near-duplicate index follows the LRU this way. */
  readonly onDrop?: (key: string) => void;
}

/**
 * Least-recently-used map bounded by bytes, with a time-to-live. A Map keeps insertion order,
 * so a hit re-inserts its key and eviction takes the first key: O(1) both ways. Expired entries
 * are dropped when next read (or evicted as the oldest), so no timer runs.
 *
 * @example
 * const lru = new ByteLru<Float32Array>({ maxBytes: 1 << 20, ttlMs: 60_000, sizeOf: (v) => v.byteLength, now: Date.now });
 * lru.set('k', new Float32Array(384));
 * lru.get('k'); // the vector, now most recently used
 */
export class ByteLru<V> {
  private readonly map = new Map<string, { value: V; bytes: number; expiresAt: number }>();
  private used = 0;

  constructor(private readonly opts: ByteLruOptions<V>) {}

  get stats(): LruStats {
    return { entries: this.map.size, bytes: this.used };
  }

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.opts.now()) {
      this.drop(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  /**
   * Stores or replaces `key` for `ttlMs` (the configured TTL unless given: a snapshot restores
   * what an entry had left), evicting least recently used entries until it fits. Returns how
   * many were evicted; a value larger than the whole budget is not stored.
   */
  set(key: string, value: V, ttlMs: number = this.opts.ttlMs > 0 ? this.opts.ttlMs : Number.POSITIVE_INFINITY): number {
    const bytes = this.opts.sizeOf(value) + ENTRY_OVERHEAD_BYTES + key.length * 2;
    const replaced = this.remove(key);
    if (bytes > this.opts.maxBytes) {
      if (replaced) this.opts.onDrop?.(key);
      return 0;
    }
    let evicted = 0;
    while (this.used + bytes > this.opts.maxBytes) {
      this.drop(this.map.keys().next().value as string);
      evicted++;
    }
    const expiresAt = this.opts.now() + ttlMs;
    this.map.set(key, { value, bytes, expiresAt });
    this.used += bytes;
    return evicted;
  }

  delete(key: string): boolean {
    return this.drop(key);
  }

  /** Live entries, least recently used first, with the milliseconds each has left (Infinity: no expiry). */
  *entries(): IterableIterator<readonly [string, V, number]> {
    const now = this.opts.now();
    for (const [key, entry] of this.map) if (entry.expiresAt > now) yield [key, entry.value, entry.expiresAt - now];
  }

  /** Removes `key` for good, telling `onDrop`. */
  private drop(key: string): boolean {
    const removed = this.remove(key);
    if (removed) this.opts.onDrop?.(key);
    return removed;
  }

  private remove(key: string): boolean {
    const entry = this.map.get(key);
    if (!entry) return false;
    this.map.delete(key);
    this.used -= entry.bytes;
    return true;
  }
}
