import { expect } from 'chai';
import { EmbedContext } from '../../../../core/pipeline/EmbedContext.js';
import type { Priority } from '../../../../core/pipeline/types.js';
import { ByteLru } from '../../../../plugins/cache/ByteLru.js';
import { CacheMetrics } from '../../../../plugins/cache/CacheMetrics.js';
import { CACHE_SOURCE, CacheStage } from '../../../../plugins/cache/CacheStage.js';
import { VectorCache } from '../../../../plugins/cache/VectorCache.js';

// The stage's hooks driven in the pipeline's order on real contexts, where the interleaving of
// concurrent requests must be controlled exactly; test/integration/plugins/cache.test.ts runs
// the same behaviour through the real pipeline and model.

function newStage(): { stage: CacheStage; metrics: CacheMetrics } {
  const metrics = new CacheMetrics();
  const lru = new ByteLru<Float32Array>({ maxBytes: 1 << 20, ttlMs: 0, sizeOf: (v) => v.byteLength, now: () => 0 });
  const stage = new CacheStage(new VectorCache(lru, undefined, metrics), metrics, { model: 'm', truncation: 256, tokenKeys: true, singleFlight: true });
  return { stage, metrics };
}

let nextId = 0;
function request(texts: string[], priority: Priority = 'normal', signal = new AbortController().signal): EmbedContext {
  return new EmbedContext(`r${nextId++}`, texts, priority, 'fp32', 0, Number.MAX_SAFE_INTEGER, signal, undefined);
}

/** What the pipeline does between the request stages and the result stages: the model's vectors. */
function compute(ctx: EmbedContext, vectorOf: (text: string) => Float32Array): void {
  for (const i of ctx.pending()) ctx.settle(i, vectorOf(ctx.texts[i]!), 'computed');
}

const vectorOf = (text: string): Float32Array => Float32Array.from({ length: 4 }, (_, d) => text.length + d);

async function hits(metrics: CacheMetrics, tier: string): Promise<number> {
  const values = (await metrics.registry.getSingleMetric('embedline_cache_hits_total')!.get()).values;
  return values.filter((v) => v.labels.tier === tier).reduce((sum, v) => sum + v.value, 0);
}

describe('cache stage', () => {
  it('serves a text it computed before from the local tier', async () => {
    const { stage, metrics } = newStage();
    const first = request(['hello']);
    await stage.beforeTokenize(first);
    compute(first, vectorOf);
    stage.afterInference(first);

    const second = request(['hello']);
    await stage.beforeTokenize(second);

    expect(second.sourceOf(0)).to.equal(CACHE_SOURCE);
    expect(Array.from(second.vectors[0]!)).to.deep.equal(Array.from(vectorOf('hello')));
    expect(await hits(metrics, 'local')).to.equal(1);
  });

  it('gives the caller its own copy, so changing a returned vector cannot change the cache', async () => {
    const { stage } = newStage();
    const first = request(['hello']);
    await stage.beforeTokenize(first);
    compute(first, vectorOf);
    stage.afterInference(first);
    first.vectors[0]!.fill(0);

    const second = request(['hello']);
    await stage.beforeTokenize(second);

    expect(Array.from(second.vectors[0]!)).to.deep.equal(Array.from(vectorOf('hello')));
  });

  it('makes a concurrent identical miss wait for the first request’s vector instead of computing it', async () => {
    const { stage, metrics } = newStage();
    const leader = request(['hello']);
    await stage.beforeTokenize(leader);
    const follower = request(['hello']);
    const following = stage.beforeTokenize(follower);

    await stage.beforeBatch(leader);
    compute(leader, vectorOf);
    stage.afterInference(leader);
    await following;

    expect(follower.pending()).to.deep.equal([]);
    expect(follower.sourceOf(0)).to.equal(CACHE_SOURCE);
    expect(Array.from(follower.vectors[0]!)).to.deep.equal(Array.from(leader.vectors[0]!));
    expect(await hits(metrics, 'flight')).to.equal(1);
  });

  it('gives each of several followers its own copy of the leader’s vector', async () => {
    const { stage } = newStage();
    const leader = request(['hello']);
    await stage.beforeTokenize(leader);
    const followers = [request(['hello']), request(['hello'])];
    const following = followers.map((f) => stage.beforeTokenize(f));

    compute(leader, vectorOf);
    stage.afterInference(leader);
    await Promise.all(following);
    followers[0]!.vectors[0]!.fill(0);

    expect(Array.from(followers[1]!.vectors[0]!)).to.deep.equal(Array.from(vectorOf('hello')));
    expect(Array.from(leader.vectors[0]!)).to.deep.equal(Array.from(vectorOf('hello')));
  });

  it('lets the follower compute the text itself when the leader’s request fails', async () => {
    const { stage } = newStage();
    const leader = request(['hello']);
    await stage.beforeTokenize(leader);
    const follower = request(['hello']);
    const following = stage.beforeTokenize(follower);

    stage.onRequest({ requestId: leader.requestId, priority: 'normal', texts: 1, promptTokens: 0, latencyMs: 1, error: undefined });
    await following;

    expect(follower.pending()).to.deep.equal([0]);
  });

  it('computes once the texts two concurrent requests share in opposite order', async () => {
    const { stage, metrics } = newStage();
    const first = request(['x', 'y']);
    const second = request(['y', 'x']);
    const passes = [stage.beforeTokenize(first), stage.beforeTokenize(second)];

    await passes[0];
    compute(first, vectorOf);
    stage.afterInference(first);
    await passes[1];

    expect(second.pending()).to.deep.equal([]);
    expect(await hits(metrics, 'flight')).to.equal(2);
  });

  it('does not make a critical request wait for a background request computing the same text', async () => {
    const { stage } = newStage();
    await stage.beforeTokenize(request(['hello'], 'background'));
    const critical = request(['hello'], 'critical');

    await stage.beforeTokenize(critical);

    expect(critical.pending()).to.deep.equal([0]);
  });

  it('stops waiting with the request’s own abort reason when it is cancelled', async () => {
    const { stage } = newStage();
    await stage.beforeTokenize(request(['hello']));
    const controller = new AbortController();
    const follower = request(['hello'], 'normal', controller.signal);
    const following = stage.beforeTokenize(follower);

    const reason = new Error('caller went away');
    controller.abort(reason);

    const outcome = await following.then(() => 'resolved', (error: unknown) => error);
    expect(outcome).to.equal(reason);
  });

  it('finds a text by its token ids when its text key missed, and stores it under its text key for next time', async () => {
    const { stage, metrics } = newStage();
    const first = request(['Hello']);
    await stage.beforeTokenize(first);
    first.tokenIds[0] = Int32Array.of(101, 7592, 102);
    await stage.beforeBatch(first);
    compute(first, vectorOf);
    stage.afterInference(first);

    const sameTokens = request(['HELLO']);
    await stage.beforeTokenize(sameTokens);
    sameTokens.tokenIds[0] = Int32Array.of(101, 7592, 102); // an uncased tokenizer gives both the same ids
    await stage.beforeBatch(sameTokens);
    stage.afterInference(sameTokens);
    const again = request(['HELLO']);
    await stage.beforeTokenize(again);

    expect(sameTokens.sourceOf(0)).to.equal(CACHE_SOURCE);
    expect(again.sourceOf(0)).to.equal(CACHE_SOURCE);
    const values = (await metrics.registry.getSingleMetric('embedline_cache_hits_total')!.get()).values;
    expect(values.map((v) => [v.labels.key, v.value])).to.deep.include.members([['tokens', 1], ['text', 1]]);
  });

  it('keys by the format the precision policy resolved, so two names for one format share an entry', async () => {
    const { stage } = newStage();
    const served = (name: string, format: 'float32' | 'int8') => ({ name, variant: 'fp32' as const, format });
    const withFormat = (name: string, format: 'float32' | 'int8'): EmbedContext =>
      new EmbedContext(`r${nextId++}`, ['hello'], 'normal', 'fp32', 0, Number.MAX_SAFE_INTEGER, new AbortController().signal, name, served(name, format));
    const first = withFormat('fp32', 'float32');
    await stage.beforeTokenize(first);
    compute(first, vectorOf);
    stage.afterInference(first);

    const sameFormat = withFormat('float32', 'float32');
    const otherFormat = withFormat('int8', 'int8');
    await stage.beforeTokenize(sameFormat);
    await stage.beforeTokenize(otherFormat);

    expect(sameFormat.sourceOf(0)).to.equal(CACHE_SOURCE);
    expect(otherFormat.pending()).to.deep.equal([0]);
  });
});
