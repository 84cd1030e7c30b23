import { Counter, Gauge, Registry } from 'prom-client';
import type { Priority } from '../../core/pipeline/types.js';
import type { LruStats } from './ByteLru.js';

/** Which key found the vector: the text itself, or the token ids after truncation. */
export type KeyKind = 'text' | 'tokens';
/** Where it was found: this process's LRU, Redis, or another request computing it right then. */
export type HitTier = 'local' | 'shared' | 'flight';
export type RedisOperation = 'lookup' | 'write' | 'connection' | 'decode';

/**
 * The cache's Prometheus metrics on a Registry of its own (bound to METRICS_REGISTRY, so
 * `/metrics` serves it). Size gauges are read when scraped.
 *
 * @example
 * const metrics = new CacheMetrics();
 * metrics.hit('normal', 'text', 'local');
 * await metrics.registry.metrics(); // ... embedline_cache_hits_total{priority="normal",key="text",tier="local"} 1
 */
export class CacheMetrics {
  readonly registry = new Registry();
  private size: () => LruStats = () => ({ entries: 0, bytes: 0 });

  private readonly hits = new Counter<'priority' | 'key' | 'tier'>({
    name: 'embedline_cache_hits_total',
    help: 'Texts whose vector the cache supplied, by priority, key (text or tokens) and tier (local, shared or flight: another request computing it).',
    labelNames: ['priority', 'key', 'tier'],
    registers: [this.registry],
  });
  private readonly misses = new Counter<'priority'>({ name: 'embedline_cache_misses_total', help: 'Texts the model computed after every cache tier missed, by priority.', labelNames: ['priority'], registers: [this.registry] });
  private readonly evictions = new Counter({ name: 'embedline_cache_evictions_total', help: 'Entries dropped from the in-process LRU to stay within exact.maxBytes.', registers: [this.registry] });
  private readonly redisUp = new Gauge({ name: 'embedline_cache_redis_up', help: '1 while the shared Redis tier is connected, 0 while the cache runs local-only (absent without redis.url).', registers: [] });
  private readonly redisErrors = new Counter<'operation'>({ name: 'embedline_cache_redis_errors_total', help: 'Failed Redis operations (lookup, write, connection, decode); each lookup failure was served as a miss.', labelNames: ['operation'], registers: [] });

  constructor() {
    const read = (): LruStats => this.size();
    new Gauge({ name: 'embedline_cache_bytes', help: 'Bytes the in-process LRU holds: vectors, keys and per-entry overhead.', registers: [this.registry], collect() { this.set(read().bytes); } });
    new Gauge({ name: 'embedline_cache_entries', help: 'Entries in the in-process LRU (text and token keys both count).', registers: [this.registry], collect() { this.set(read().entries); } });
  }

  /** Where the size gauges read from. */
  watch(size: () => LruStats): void {
    this.size = size;
  }

  /** Registers the Redis metrics; only a cache with a shared tier exposes them. */
  enableRedis(): void {
    this.registry.registerMetric(this.redisUp);
    this.registry.registerMetric(this.redisErrors);
  }

  hit(priority: Priority, key: KeyKind, tier: HitTier, count = 1): void {
    if (count > 0) this.hits.inc({ priority, key, tier }, count);
  }

  miss(priority: Priority, count: number): void {
    if (count > 0) this.misses.inc({ priority }, count);
  }

  evicted(count: number): void {
    if (count > 0) this.evictions.inc(count);
  }

  setRedisUp(up: boolean): void {
    this.redisUp.set(up ? 1 : 0);
  }

  redisError(operation: RedisOperation): void {
    this.redisErrors.inc({ operation });
  }
}
