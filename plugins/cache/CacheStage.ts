import type { EmbedContext } from '../../core/pipeline/EmbedContext.js';
import { PRIORITIES } from '../../core/pipeline/types.js';
import type { PipelineObserver, RequestCompleted } from '../../core/ports/PipelineObserver.js';
import type { RequestStage } from '../../core/ports/RequestStage.js';
import type { ResultStage } from '../../core/ports/ResultStage.js';
import type { CacheMetrics, HitTier, KeyKind } from './CacheMetrics.js';
import { scopePrefix, textKey, tokenKey } from './cacheKey.js';
import { mayWaitFor, SingleFlight } from './SingleFlight.js';
import type { SearchIndexes } from './search/SearchIndexes.js';
import type { CacheSnapshots } from './snapshot/CacheSnapshots.js';
import type { VectorCache } from './VectorCache.js';

/** What this stage remembers about one request between its hooks (in `ctx.attributes`; the near-duplicate stage reads it). */
export interface RequestKeys {
  readonly prefix: string;
  /** Text key per text index, for the texts pending before tokenization. */
  readonly text: Map<number, string>;
  /** Token key per text index, for the texts still pending after tokenization. */
  readonly tokens: Map<number, string>;
  /** Redis failed this request once (down or slow): the request does not ask it again. */
  sharedFailed: boolean;
}

export interface CacheStageOptions {
  readonly model: string;
  readonly truncation: number;
  readonly tokenKeys: boolean;
  readonly singleFlight: boolean;
  /** Present when a snapshot store is set (`snapshot.path`, `.url` or `.s3`): already loaded, saving on its interval; sections register here. */
  readonly snapshots?: CacheSnapshots | undefined;
  /** Present with `search.enabled`: what the exact tier computes or serves is indexed for /v1/search. */
  readonly search?: SearchIndexes | undefined;
}

/** Name of the stage, and the source a cached text reports in `EmbedResult.sources`. */
export const CACHE_SOURCE = 'cache';

/**
 * The exact cache in the pipeline. Before tokenization: text key → local LRU → (single-flight)
 * → Redis, one MGET for the request; texts found cost no tokenizer or model time. After
 * tokenization: token-id key, for texts that differ only where the tokenizer does not look
 * (case, accents, spacing, past the truncation point). After inference: computed vectors are
 * stored under both keys and handed to the requests waiting for them.
 *
 * @example
 * const stage = new CacheStage(cache, metrics, { model: 'all-MiniLM-L6-v2', truncation: 256, tokenKeys: true, singleFlight: true });
 * // bound as REQUEST_STAGE, RESULT_STAGE and PIPELINE_OBSERVER (index.ts)
 */
export class CacheStage implements RequestStage, ResultStage, PipelineObserver {
  readonly name = CACHE_SOURCE;
  /** Early: a hit should skip every later stage's work too. */
  readonly order = 10;
  private readonly flights = new SingleFlight<Float32Array>();

  constructor(
    readonly cache: VectorCache,
    private readonly metrics: CacheMetrics,
    private readonly opts: CacheStageOptions,
  ) {}

  get snapshots(): CacheSnapshots | undefined {
    return this.opts.snapshots;
  }

  async beforeTokenize(ctx: EmbedContext): Promise<void> {
    const keys = this.keysOf(ctx);
    const byKey = new Map<string, number[]>();
    for (const i of ctx.pending()) {
      const key = textKey(keys.prefix, ctx.texts[i]!);
      keys.text.set(i, key);
      byKey.get(key)?.push(i) ?? byKey.set(key, [i]);
    }
    const missed = [...byKey.keys()].filter((key) => !this.settle(ctx, byKey.get(key)!, this.cache.getLocal(key), 'text', 'local'));
    if (missed.length === 0) return;
    if (!this.opts.singleFlight) {
      this.settleFound(ctx, byKey, missed, await this.shared(keys, missed), 'text');
      return;
    }
    // Leads and follows are decided in this one synchronous pass: that is what keeps waiting deadlock-free (mayWaitFor).
    const rank = PRIORITIES.indexOf(ctx.priority);
    const led: string[] = [];
    const followed: string[] = [];
    for (const key of missed) (this.flights.lead(key, ctx.requestId, rank) ? led : followed).push(key);
    const shared = await this.shared(keys, led);
    led.forEach((key, k) => {
      const vector = shared[k];
      if (vector) this.flights.finish(key, vector.slice());
    });
    this.settleFound(ctx, byKey, led, shared, 'text');
    await this.waitForLeaders(ctx, byKey, followed, rank);
  }

  async beforeBatch(ctx: EmbedContext): Promise<void> {
    if (!this.opts.tokenKeys) return;
    const keys = this.keysOf(ctx);
    const byKey = new Map<string, number[]>();
    for (const i of ctx.pending()) {
      const ids = ctx.tokenIds[i];
      if (!ids) continue;
      const key = tokenKey(keys.prefix, ids);
      keys.tokens.set(i, key);
      byKey.get(key)?.push(i) ?? byKey.set(key, [i]);
    }
    const missed = [...byKey.keys()].filter((key) => !this.settle(ctx, byKey.get(key)!, this.cache.getLocal(key), 'tokens', 'local'));
    this.settleFound(ctx, byKey, missed, await this.shared(keys, missed), 'tokens');
  }

  afterInference(ctx: EmbedContext): void {
    const keys = this.keysOf(ctx);
    const entries: [string, Float32Array][] = [];
    let computed = 0;
    ctx.texts.forEach((_, i) => {
      const vector = ctx.vectors[i]!;
      const text = keys.text.get(i);
      const tokens = keys.tokens.get(i);
      if (ctx.sourceOf(i) === 'computed') {
        computed++;
        if (text) entries.push([text, vector]);
        if (tokens) entries.push([tokens, vector]);
      } else if (ctx.sourceOf(i) === CACHE_SOURCE && text && tokens) {
        // Found by its token ids: store it under its text key too, so next time it costs no tokenization.
        entries.push([text, vector]);
      }
      // Only an exact vector is handed to followers: one another stage served approximately
      // (a near-duplicate) releases them at abandon() below, to compute their text themselves.
      const exact = ctx.sourceOf(i) === 'computed' || ctx.sourceOf(i) === CACHE_SOURCE;
      if (exact && text && this.flights.get(text)) this.flights.finish(text, vector.slice());
    });
    this.metrics.miss(ctx.priority, computed);
    // Indexed before the put: a key the put itself evicts (a request larger than the LRU) leaves the index again through onDrop.
    this.indexForSearch(ctx, keys);
    this.cache.put(entries);
    this.flights.abandon(ctx.requestId);
  }

  /** Each text computed or served by the exact tier joins the search index of its variant and format. */
  private indexForSearch(ctx: EmbedContext, keys: RequestKeys): void {
    const search = this.opts.search;
    if (!search) return;
    // The format as keysOf puts it in the key: the search port resolves a query's precision the same way.
    const scope = { variant: ctx.variant, format: ctx.served?.format ?? ctx.precision ?? 'default' };
    keys.text.forEach((key, i) => {
      const source = ctx.sourceOf(i);
      if (source === 'computed' || source === CACHE_SOURCE) search.add(scope, key, ctx.vectors[i]!, ctx.texts[i]!);
    });
  }

  /** A failed request's followers compute their texts themselves. */
  onRequest(event: RequestCompleted): void {
    this.flights.abandon(event.requestId);
  }

  private async waitForLeaders(ctx: EmbedContext, byKey: Map<string, number[]>, followed: readonly string[], rank: number): Promise<void> {
    const waits = followed.flatMap((key) => {
      const flight = this.flights.get(key);
      // Finished since we looked: the vector is in the LRU now.
      if (!flight) {
        this.settle(ctx, byKey.get(key)!, this.cache.getLocal(key), 'text', 'local');
        return [];
      }
      // Every follower gets the leader's one array: each takes its own copy.
      return mayWaitFor(flight, rank) ? [flight.result.then((vector) => ({ key, vector: vector?.slice() }))] : [];
    });
    if (waits.length === 0) return;
    for (const { key, vector } of await untilAborted(Promise.all(waits), ctx.signal)) this.settle(ctx, byKey.get(key)!, vector, 'text', 'flight');
  }

  /** The shared tier's answer for `wanted`, or all misses once it has failed this request. */
  private async shared(keys: RequestKeys, wanted: readonly string[]): Promise<readonly (Float32Array | undefined)[]> {
    if (keys.sharedFailed || wanted.length === 0) return [];
    const found = await this.cache.getShared(wanted);
    if (!found) keys.sharedFailed = true;
    return found ?? [];
  }

  private settleFound(ctx: EmbedContext, byKey: Map<string, number[]>, keys: readonly string[], found: readonly (Float32Array | undefined)[], kind: KeyKind): void {
    keys.forEach((key, k) => this.settle(ctx, byKey.get(key)!, found[k], kind, 'shared'));
  }

  /** Settles every index of one key with its own copy; false when there is no vector. */
  private settle(ctx: EmbedContext, indexes: readonly number[], vector: Float32Array | undefined, kind: KeyKind, tier: HitTier): boolean {
    if (!vector) return false;
    indexes.forEach((i, n) => ctx.settle(i, n === 0 ? vector : vector.slice(), CACHE_SOURCE));
    this.metrics.hit(ctx.priority, kind, tier, indexes.length);
    return true;
  }

  private keysOf(ctx: EmbedContext): RequestKeys {
    let keys = ctx.attributes.get(CACHE_SOURCE) as RequestKeys | undefined;
    if (!keys) {
      // The resolved format, so "fp32", "float32" and no choice at all share entries.
      const precision = ctx.served?.format ?? ctx.precision ?? 'default';
      const prefix = scopePrefix({ model: this.opts.model, variant: ctx.variant, precision, truncation: this.opts.truncation });
      keys = { prefix, text: new Map(), tokens: new Map(), sharedFailed: false };
      ctx.attributes.set(CACHE_SOURCE, keys);
    }
    return keys;
  }
}

/** The promise's value, or the signal's reason (the request's timeout or cancellation) if it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      reject,
    );
  });
}
