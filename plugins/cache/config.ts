import { z } from 'zod';
import { nearDuplicateConfigSchema } from './neardup/nearDuplicateConfig.js';
import { searchConfigSchema } from './search/searchConfig.js';

/**
 * `pluginOptions.cache`. Defaults: exact tier on (64 MiB, 1 h TTL), token-level key on, shared
 * Redis tier off until `redis.url` is set, snapshots off until `snapshot.path`, `.url` or `.s3` is set.
 */
export const cacheConfigSchema = z.strictObject({
  exact: z
    .strictObject({
      /** Bytes the in-process LRU may hold: vectors plus a fixed per-entry overhead. */
      maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
      /** Entries older than this are misses; 0 keeps them until evicted. */
      ttlMs: z.number().int().nonnegative().default(3_600_000),
    })
    .prefault({}),
  /** Second key on the token ids the model sees (after normalization and truncation), looked up after tokenizing. */
  tokens: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  /** Concurrent identical misses wait for the first one's vector instead of computing it again. */
  singleFlight: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  /** Where the in-process tier is saved and loaded from at start: one of `path`, `url` or `s3`; none = no snapshots. */
  snapshot: z
    .strictObject({
      /** A local file. */
      path: z.string().min(1).optional(),
      /** `s3://bucket/key`, with the SDK's default region and credentials (EMBEDLINE_CACHE_SNAPSHOT_URL). */
      url: z.string().regex(/^s3:\/\/[^/]+\/.+$/, 'expected s3://bucket/key').optional(),
      /** An S3 object, with an endpoint for S3-compatible stores (moto, MinIO). */
      s3: z
        .strictObject({
          bucket: z.string().min(1),
          key: z.string().min(1),
          region: z.string().min(1).optional(),
          endpoint: z.url().optional(),
          forcePathStyle: z.boolean().default(false),
        })
        .optional(),
      /** How often the snapshot is rewritten. */
      intervalMs: z.number().int().positive().default(300_000),
      /** How long the runtime's close() waits for the last snapshot (and the Redis connection to close). */
      shutdownTimeoutMs: z.number().int().positive().default(10_000),
    })
    .refine((s) => [s.path, s.url, s.s3].filter((x) => x !== undefined).length <= 1, { message: 'set one of path, url or s3' })
    .prefault({}),
  redis: z
    .strictObject({
      /** `redis://[user:password@]host:port[/db]`; unset = no shared tier. */
      url: z.url({ protocol: /^rediss?$/ }).optional(),
      /** Prefix of every key this cache writes; change it to start afresh or to separate deployments sharing one Redis. */
      keyPrefix: z.string().default('embedline:v1:'),
      ttlMs: z.number().int().positive().default(86_400_000),
      /** A command slower than this fails; a lookup that fails counts as a miss (the request never waits on Redis longer). */
      commandTimeoutMs: z.number().int().positive().default(50),
      /** Longest pause between reconnection attempts while Redis is down. */
      maxReconnectDelayMs: z.number().int().positive().default(2_000),
    })
    .prefault({}),
  /** Near-duplicate tier (sketch + vector index); off unless enabled with an error bound and a calibration file. */
  nearDuplicate: nearDuplicateConfigSchema.prefault({}),
  /** kNN search over the stored vectors (POST /v1/search); off by default, texts kept only with storeTexts. */
  search: searchConfigSchema,
});

export type CacheConfig = z.output<typeof cacheConfigSchema>;
export type CacheConfigInput = z.input<typeof cacheConfigSchema>;
