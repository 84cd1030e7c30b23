import { fromLittleEndianBytes, toLittleEndianBytes } from '../../../core/precision/quantize.js';
import type { CacheMetrics } from '../CacheMetrics.js';
import type { CacheLog } from '../tokens.js';
import type { RedisConnection } from './RedisConnection.js';

export interface RedisTierOptions {
  readonly keyPrefix: string;
  readonly ttlMs: number;
  readonly dimensions: number;
  /** host:port, for log lines. */
  readonly endpoint: string;
}

type ConnectionState = 'connecting' | 'up' | 'down';

/**
 * The shared exact tier: fp32 vectors as little-endian bytes in Redis with a TTL, so every
 * instance (HTTP, SQS worker, Lambda) serves what any of them computed. It never fails a request:
 * while Redis is unreachable lookups are misses and writes are skipped, the `redis_up` gauge is
 * 0 and one line is logged; when it is back, one more line and sharing resumes.
 *
 * @example
 * const tier = new RedisTier(createRedisConnection(cfg), { keyPrefix: 'embedline:v1:', ttlMs: 86_400_000, dimensions: 384, endpoint: '127.0.0.1:6379' }, metrics, log);
 * const [vector] = await tier.lookup(['t:5d0c…']); // Float32Array or undefined
 */
export class RedisTier {
  private state: ConnectionState = 'connecting';
  private closing = false;
  private lastError = '';
  private readonly writes = new Set<Promise<void>>();
  private upWaiters: (() => void)[] = [];

  constructor(
    private readonly redis: RedisConnection,
    private readonly opts: RedisTierOptions,
    private readonly metrics: CacheMetrics,
    private readonly log: CacheLog,
  ) {
    metrics.enableRedis();
    metrics.setRedisUp(false);
    redis.on('ready', () => this.becameUp());
    redis.on('close', () => this.becameDown());
    // An 'error' listener must exist, or ioredis prints every failed reconnection attempt.
    redis.on('error', (error) => {
      this.lastError = error?.message ?? 'unknown error';
      this.metrics.redisError('connection');
    });
  }

  get up(): boolean {
    return this.state === 'up' && this.redis.status === 'ready';
  }

  /** Resolves once connected (at once if it is): for callers that want sharing from the start. */
  whenUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  /**
   * One MGET for all keys; a key not there is `undefined`. `undefined` as a whole when Redis
   * could not answer (down, or slower than commandTimeoutMs): all misses, and the caller knows
   * not to ask again for this request.
   */
  async lookup(keys: readonly string[]): Promise<(Float32Array | undefined)[] | undefined> {
    if (!this.up) return undefined;
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.mgetBuffer(keys.map((k) => this.opts.keyPrefix + k));
      return values.map((bytes) => (bytes ? this.decode(bytes) : undefined));
    } catch {
      this.metrics.redisError('lookup');
      return undefined;
    }
  }

  /** Writes in one pipeline without making the caller wait; `whenWritten()` tells when they landed. */
  store(entries: readonly (readonly [string, Float32Array])[]): void {
    if (entries.length === 0 || !this.up) return;
    const pipeline = this.redis.pipeline();
    for (const [key, vector] of entries) {
      const bytes = toLittleEndianBytes({ format: 'float32', dimensions: vector.length, data: vector });
      pipeline.set(this.opts.keyPrefix + key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'PX', this.opts.ttlMs);
    }
    const write = pipeline.exec().then(
      (results) => {
        if (!results || results.some(([error]) => error)) this.metrics.redisError('write');
      },
      () => this.metrics.redisError('write'),
    );
    const tracked = write.finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** Resolves when every write started so far has been answered (or failed). */
  async whenWritten(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.whenWritten();
    // quit() waits for Redis to answer; while it is down there is nobody to answer.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private decode(bytes: Buffer): Float32Array | undefined {
    try {
      return fromLittleEndianBytes(bytes, 'float32', this.opts.dimensions).data as Float32Array;
    } catch {
      // Another writer under the same prefix with another model: not ours to serve.
      this.metrics.redisError('decode');
      return undefined;
    }
  }

  private becameUp(): void {
    if (this.state === 'down') this.log(`cache: Redis at ${this.opts.endpoint} is reachable again; shared tier back`);
    this.state = 'up';
    this.metrics.setRedisUp(true);
    const waiters = this.upWaiters;
    this.upWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  private becameDown(): void {
    if (this.closing || this.state === 'down') return;
    const reason = this.lastError ? ` (${this.lastError})` : '';
    const was = this.state === 'up' ? 'lost' : 'unreachable';
    this.log(`cache: Redis at ${this.opts.endpoint} ${was}${reason}; serving from the in-process tier only and reconnecting in the background`);
    this.state = 'down';
    this.metrics.setRedisUp(false);
  }
}
