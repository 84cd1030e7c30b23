import { EmbedlineError } from '../../../core/errors.js';
import type { ModelRuntime } from '../../../core/ports/ModelRuntime.js';
import { openVectorIndex } from '../ann/openVectorIndex.js';
import type { CacheMetrics } from '../CacheMetrics.js';
import type { CacheConfig } from '../config.js';
import { createRedisConnection } from '../redis/createRedisConnection.js';
import { asStreamConnection, NearDuplicateStream } from '../redis/NearDuplicateStream.js';
import type { RedisConnection } from '../redis/RedisConnection.js';
import type { RedisTier } from '../redis/RedisTier.js';
import type { CacheLog } from '../tokens.js';
import type { VectorCache } from '../VectorCache.js';
import { checkNearDuplicateCalibration } from './calibrationFile.js';
import { createSketcher } from './createSketcher.js';
import { NearDuplicateMetrics } from './NearDuplicateMetrics.js';
import { NearDuplicateStage } from './NearDuplicateStage.js';
import { NearDuplicateTier } from './NearDuplicateTier.js';
import { WindowText } from './windowText.js';

export interface NearDuplicateParts {
  readonly stage: NearDuplicateStage;
  /** Present with `redis.url` and `announce.enabled`: already reading. */
  readonly stream: NearDuplicateStream | undefined;
}

export interface NearDuplicateDeps {
  readonly config: CacheConfig;
  readonly model: string;
  readonly variant: string;
  readonly runtime: ModelRuntime;
  readonly cache: VectorCache;
  readonly metrics: CacheMetrics;
  readonly log: CacheLog;
  /** The shared tier and the connection it writes on, with `redis.url`. */
  readonly redis?: { readonly tier: RedisTier; readonly connection: RedisConnection } | undefined;
}

/**
 * The near-duplicate tier, after the safety gate: `nearDuplicate.enabled` with the token key
 * on, an error bound and a calibration file measured for this model, variant, truncation and
 * sketch that meets the bound at the configured τ (else EMBEDLINE_CONFIG, and start fails).
 */
export async function buildNearDuplicates(deps: NearDuplicateDeps): Promise<NearDuplicateParts> {
  const { config, runtime, cache, log } = deps;
  const near = config.nearDuplicate;
  if (!config.tokens.enabled) throw new EmbedlineError('EMBEDLINE_CONFIG', 'pluginOptions.cache.nearDuplicate needs pluginOptions.cache.tokens.enabled: its entries are the token-key entries of the exact tier', {});
  const sketcher = createSketcher(near);
  const truncation = runtime.tokenizer.maxTokens;
  await checkNearDuplicateCalibration(near, { model: deps.model, variant: deps.variant, truncation, sketch: sketcher.id });
  const tier = new NearDuplicateTier(sketcher, { threshold: near.threshold, k: near.k, linearBelow: near.linearBelow, open: (d) => openVectorIndex(d, log, 'faiss-node', near.index) }, cache);
  const metrics = new NearDuplicateMetrics(deps.metrics.registry, () => tier.size);
  const stage = new NearDuplicateStage(tier, WindowText.fromTokenizerFile(runtime.model.tokenizerPath), metrics, { priorities: new Set(near.priorities), variant: deps.variant });
  let stream: NearDuplicateStream | undefined;
  const { url } = config.redis;
  if (deps.redis && url && near.announce.enabled) {
    // XREAD BLOCK needs a connection of its own, whose command timeout outlasts the block.
    const reader = createRedisConnection({ ...config.redis, url, commandTimeoutMs: near.announce.blockMs + config.redis.commandTimeoutMs + 1_000 });
    const streamKey = `${config.redis.keyPrefix}near:${sketcher.id}`;
    stream = new NearDuplicateStream(asStreamConnection(deps.redis.connection), asStreamConnection(reader), tier, cache, deps.redis.tier, { streamKey, maxLen: near.announce.maxLen, blockMs: near.announce.blockMs, from: near.announce.from }, metrics);
    stream.start();
  }
  return { stage, stream };
}
