import { ContainerModule } from 'inversify';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import type { PluginDefinition } from '../../core/plugin.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { PIPELINE_OBSERVER } from '../../core/ports/PipelineObserver.js';
import { REQUEST_STAGE } from '../../core/ports/RequestStage.js';
import { RESULT_STAGE } from '../../core/ports/ResultStage.js';
import { SHUTDOWN_HOOKS } from '../../core/ports/ShutdownHook.js';
import { ByteLru } from './ByteLru.js';
import { CacheMetrics } from './CacheMetrics.js';
import { CacheStage } from './CacheStage.js';
import { cacheConfigSchema, type CacheConfig } from './config.js';
import { createRedisConnection, redisEndpoint } from './redis/createRedisConnection.js';
import { RedisTier } from './redis/RedisTier.js';
import { buildNearDuplicates, type NearDuplicateParts } from './neardup/buildNearDuplicates.js';
import { NearDuplicateStage } from './neardup/NearDuplicateStage.js';
import { cacheShutdownHook } from './cacheShutdownHook.js';
import { CacheSnapshots } from './snapshot/CacheSnapshots.js';
import { openSnapshotStore } from './snapshot/openSnapshotStore.js';
import { CACHE_CLOCK, CACHE_CONFIG, CACHE_LOG, NEAR_DUPLICATE_STREAM, warningLog, type CacheClock, type CacheLog } from './tokens.js';
import { VectorCache } from './VectorCache.js';

export const manifest = {
  name: 'cache',
  requires: [],
  /** Adds stages, an observer and a metrics registry; replaces no core port. */
  provides: [],
  description: 'Exact embedding cache: text and token-id keys, byte-bounded in-process LRU with TTL, single-flight misses, optional shared tier in Redis, optional snapshots on disk; optional calibrated near-duplicate tier (sketch + FAISS, announced on a Redis Stream)',
} as const;

/** Adds the cache as a request stage, a result stage and an observer; serves its metrics on /metrics. */
export const cacheModule = (config: CacheConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    const metrics = new CacheMetrics();
    let nearDuplicates: NearDuplicateParts | undefined;
    bind(CACHE_CONFIG).toConstantValue(config);
    bind(CACHE_CLOCK).toConstantValue(() => performance.now());
    bind(CACHE_LOG).toConstantValue(warningLog);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(CacheStage)
      .toDynamicValue(async (ctx) => {
        const [embedline, runtime] = await Promise.all([ctx.getAsync(EMBEDLINE_CONFIG), ctx.getAsync(MODEL_RUNTIME)]);
        const clock: CacheClock = ctx.get(CACHE_CLOCK);
        const log: CacheLog = ctx.get(CACHE_LOG);
        // An entry leaving the LRU leaves the near-duplicate index too.
        const lru = new ByteLru<Float32Array>({ maxBytes: config.exact.maxBytes, ttlMs: config.exact.ttlMs, sizeOf: (v) => v.byteLength, now: clock, onDrop: (key) => near?.stage.tier.forget(key) });
        const { url } = config.redis;
        const dimensions = runtime.model.dimensions;
        const connection = url ? createRedisConnection({ ...config.redis, url }) : undefined;
        const shared = url && connection ? new RedisTier(connection, { ...config.redis, dimensions, endpoint: redisEndpoint(url) }, metrics, log) : undefined;
        const cache = new VectorCache(lru, shared, metrics);
        let near: NearDuplicateParts | undefined;
        if (config.nearDuplicate.enabled) {
          const redis = shared && connection ? { tier: shared, connection } : undefined;
          near = await buildNearDuplicates({ config, model: embedline.model.name, variant: embedline.model.variant, runtime, cache, metrics, log, redis });
        }
        nearDuplicates = near;
        const store = openSnapshotStore(config.snapshot);
        const snapshots = store ? new CacheSnapshots(cache, store, { intervalMs: config.snapshot.intervalMs, dimensions }, log) : undefined;
        await snapshots?.load();
        snapshots?.start();
        return new CacheStage(cache, metrics, {
          model: embedline.model.name,
          truncation: runtime.tokenizer.maxTokens,
          tokenKeys: config.tokens.enabled,
          singleFlight: config.singleFlight.enabled,
          snapshots,
        });
      })
      .inSingletonScope();
    bind(REQUEST_STAGE).toService(CacheStage);
    bind(RESULT_STAGE).toService(CacheStage);
    bind(PIPELINE_OBSERVER).toService(CacheStage);
    // The last snapshot and the Redis connection's close, when the runtime closes.
    bind(SHUTDOWN_HOOKS)
      .toDynamicValue(async (ctx) => cacheShutdownHook(await ctx.getAsync(CacheStage), config.snapshot.shutdownTimeoutMs))
      .inSingletonScope();
    if (config.nearDuplicate.enabled) {
      // Built with the cache stage (it shares its LRU); resolving the cache stage builds it.
      bind(NearDuplicateStage).toDynamicValue(async (ctx) => (await ctx.getAsync(CacheStage), nearDuplicates!.stage)).inSingletonScope();
      bind(NEAR_DUPLICATE_STREAM).toDynamicValue(async (ctx) => (await ctx.getAsync(CacheStage), nearDuplicates!.stream)).inSingletonScope();
      bind(REQUEST_STAGE).toService(NearDuplicateStage);
      bind(RESULT_STAGE).toService(NearDuplicateStage);
    }
  });

export const cachePlugin: PluginDefinition<CacheConfig> = {
  manifest,
  configSchema: cacheConfigSchema,
  module: cacheModule,
};
