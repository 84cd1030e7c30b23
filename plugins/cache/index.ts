import { ContainerModule } from 'inversify';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import { modelScopedFileName } from '../../core/models/modelScopedCatalogue.js';
import type { PluginDefinition } from '../../core/plugin.js';
import { METRICS_REGISTRY } from '../../core/ports/MetricsRegistry.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { ENCODE_PIPELINE } from '../../core/pipeline/EncodePipeline.js';
import { PIPELINE_OBSERVER } from '../../core/ports/PipelineObserver.js';
import { PRECISION_POLICY } from '../../core/ports/PrecisionPolicy.js';
import { REQUEST_STAGE } from '../../core/ports/RequestStage.js';
import { RESULT_STAGE } from '../../core/ports/ResultStage.js';
import { VECTOR_SEARCH } from '../../core/ports/VectorSearch.js';
import { SHUTDOWN_HOOKS } from '../../core/ports/ShutdownHook.js';
import { ByteLru } from './ByteLru.js';
import { CacheMetrics } from './CacheMetrics.js';
import { CacheStage } from './CacheStage.js';
import { cacheConfigSchema, type CacheConfig } from './config.js';
import { createRedisConnection, redisEndpoint } from './redis/createRedisConnection.js';
import { RedisTier } from './redis/RedisTier.js';
import { CacheSearch } from './search/CacheSearch.js';
import { SearchIndexes } from './search/SearchIndexes.js';
import { SearchMetrics } from './search/SearchMetrics.js';
import { buildNearDuplicates, type NearDuplicateParts } from './neardup/buildNearDuplicates.js';
import { NearDuplicateStage } from './neardup/NearDuplicateStage.js';
import { nearDuplicateSnapshot } from './neardup/nearDuplicateSnapshot.js';
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
    let searchParts: { indexes: SearchIndexes; metrics: SearchMetrics; truncation: number; model: string } | undefined;
    bind(CACHE_CONFIG).toConstantValue(config);
    bind(CACHE_CLOCK).toConstantValue(() => performance.now());
    bind(CACHE_LOG).toConstantValue(warningLog);
    bind(METRICS_REGISTRY).toConstantValue(metrics.registry);
    bind(CacheStage)
      .toDynamicValue(async (ctx) => {
        const [embedline, runtime] = await Promise.all([ctx.getAsync(EMBEDLINE_CONFIG), ctx.getAsync(MODEL_RUNTIME)]);
        const clock: CacheClock = ctx.get(CACHE_CLOCK);
        const log: CacheLog = ctx.get(CACHE_LOG);
        const dimensions = runtime.model.dimensions;
        let search: SearchIndexes | undefined;
        if (config.search.enabled) {
          const { maxBytes, maxEntries, storeTexts, index } = config.search;
          const searchMetrics = new SearchMetrics(metrics.registry, () => search!.stats);
          search = new SearchIndexes({ dimensions, index, maxBytes, maxEntries, storeTexts, log }, (n) => searchMetrics.evicted(n));
          searchParts = { indexes: search, metrics: searchMetrics, truncation: runtime.tokenizer.maxTokens, model: embedline.model.name };
        }
        // An entry leaving the LRU leaves the near-duplicate and search indexes too.
        const onDrop = (key: string): void => {
          near?.stage.tier.forget(key);
          search?.drop(key);
        };
        const lru = new ByteLru<Float32Array>({ maxBytes: config.exact.maxBytes, ttlMs: config.exact.ttlMs, sizeOf: (v) => v.byteLength, now: clock, onDrop });
        const { url } = config.redis;
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
        // The sketch index is saved with the exact tier and restored after it (entries whose key came back).
        if (near && snapshots) await snapshots.register(nearDuplicateSnapshot(near.stage.tier, cache));
        snapshots?.start();
        return new CacheStage(cache, metrics, {
          model: embedline.model.name,
          truncation: runtime.tokenizer.maxTokens,
          tokenKeys: config.tokens.enabled,
          singleFlight: config.singleFlight.enabled,
          snapshots,
          search,
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
    if (config.search.enabled) {
      // Built with the cache stage (its indexes are fed by it); the pipeline embeds text queries.
      bind(VECTOR_SEARCH)
        .toDynamicValue(async (ctx) => {
          const [pipeline, policy, runtime] = await Promise.all([ctx.getAsync(ENCODE_PIPELINE), ctx.getAsync(PRECISION_POLICY), ctx.getAsync(MODEL_RUNTIME), ctx.getAsync(CacheStage)]);
          const { indexes, metrics: searchMetrics, truncation, model } = searchParts!;
          return new CacheSearch(pipeline, policy, indexes, searchMetrics, { model, truncation, dimensions: runtime.model.dimensions });
        })
        .inSingletonScope();
    }
    if (config.nearDuplicate.enabled) {
      // Built with the cache stage (it shares its LRU); resolving the cache stage builds it.
      bind(NearDuplicateStage).toDynamicValue(async (ctx) => (await ctx.getAsync(CacheStage), nearDuplicates!.stage)).inSingletonScope();
      bind(NEAR_DUPLICATE_STREAM).toDynamicValue(async (ctx) => (await ctx.getAsync(CacheStage), nearDuplicates!.stream)).inSingletonScope();
      // The stream's reader connection closes with the runtime, after the announcements in flight.
      bind(SHUTDOWN_HOOKS)
        .toDynamicValue(async (ctx) => {
          const stream = await ctx.getAsync(NEAR_DUPLICATE_STREAM);
          return { name: 'cache-near-duplicate-stream', onShutdown: () => stream?.close() };
        })
        .inSingletonScope();
      bind(REQUEST_STAGE).toService(NearDuplicateStage);
      bind(RESULT_STAGE).toService(NearDuplicateStage);
    }
  });

export const cachePlugin: PluginDefinition<CacheConfig> = {
  manifest,
  configSchema: cacheConfigSchema,
  module: cacheModule,
  // Several models in one process: each snapshots its own tier to its own file or object. Redis
  // keys and stream entries already carry the model in their key, so they need no scoping.
  forModel: (config, modelId) => ({ ...config, snapshot: scopedSnapshot(config.snapshot, modelId) }),
};

function scopedSnapshot(snapshot: CacheConfig['snapshot'], modelId: string): CacheConfig['snapshot'] {
  return {
    ...snapshot,
    ...(snapshot.path !== undefined && { path: modelScopedFileName(snapshot.path, modelId) }),
    ...(snapshot.url !== undefined && { url: modelScopedFileName(snapshot.url, modelId) }),
    ...(snapshot.s3 !== undefined && { s3: { ...snapshot.s3, key: modelScopedFileName(snapshot.s3.key, modelId) } }),
  };
}
