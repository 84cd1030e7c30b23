import { expect } from 'chai';
import { EmbedContext } from '../../../../../core/pipeline/EmbedContext.js';
import type { Priority } from '../../../../../core/pipeline/types.js';
import { LinearScanIndex } from '../../../../../plugins/cache/ann/LinearScanIndex.js';
import { ByteLru } from '../../../../../plugins/cache/ByteLru.js';
import { CacheMetrics } from '../../../../../plugins/cache/CacheMetrics.js';
import { CACHE_SOURCE, CacheStage } from '../../../../../plugins/cache/CacheStage.js';
import { NearDuplicateMetrics } from '../../../../../plugins/cache/neardup/NearDuplicateMetrics.js';
import { NEAR_SOURCE, NearDuplicateStage } from '../../../../../plugins/cache/neardup/NearDuplicateStage.js';
import { NearDuplicateTier } from '../../../../../plugins/cache/neardup/NearDuplicateTier.js';
import { NgramSketcher } from '../../../../../plugins/cache/neardup/NgramSketcher.js';
import { WindowText } from '../../../../../plugins/cache/neardup/windowText.js';
import { VectorCache } from '../../../../../plugins/cache/VectorCache.js';

// The exact stage and the near-duplicate stage driven in the pipeline's order on real contexts,
// with a toy tokenizer (one id per word of a fixed vocabulary, lowercased as the real one does).

const WORDS = ['the', 'gnu', 'c', 'library', 'development', 'files', 'for', 'headers', 'and', 'static', 'archives', 'of', 'terminal', 'emulator'];
const vocab = Object.fromEntries([['[CLS]', 0], ['[SEP]', 1], ...WORDS.map((w, i) => [w, i + 2] as const)]);
const window = WindowText.fromVocab(vocab);
const tokenize = (text: string): Int32Array => Int32Array.from([0, ...text.toLowerCase().split(/\s+/).map((w) => vocab[w]!), 1]);

function stages(priorities: Priority[] = ['normal', 'background']) {
  const metrics = new CacheMetrics();
  let tier: NearDuplicateTier | undefined;
  const lru = new ByteLru<Float32Array>({ maxBytes: 1 << 20, ttlMs: 0, sizeOf: (v) => v.byteLength, now: () => 0, onDrop: (k) => tier?.forget(k) });
  const cache = new VectorCache(lru, undefined, metrics);
  tier = new NearDuplicateTier(new NgramSketcher(5, 256), { threshold: 0.8, k: 4, linearBelow: 100, open: (d) => new LinearScanIndex(d) }, cache);
  const nearMetrics = new NearDuplicateMetrics(metrics.registry, () => tier!.size);
  const exact = new CacheStage(cache, metrics, { model: 'm', truncation: 256, tokenKeys: true, singleFlight: true });
  const near = new NearDuplicateStage(tier, window, nearMetrics, { priorities: new Set(priorities as ('normal' | 'background')[]), variant: 'fp32' });
  return { exact, near, tier, metrics };
}

let nextId = 0;
const request = (texts: string[], priority: Priority = 'normal', variant: 'fp32' | 'int8' = 'fp32'): EmbedContext =>
  new EmbedContext(`r${nextId++}`, texts, priority, variant, 0, Number.MAX_SAFE_INTEGER, new AbortController().signal, undefined);
const vectorOf = (text: string): Float32Array => Float32Array.from({ length: 4 }, (_, d) => text.length * 10 + d);

type Stages = ReturnType<typeof stages>;
/** Request stages, tokenization, the model for what is still pending, result stages. */
async function run({ exact, near }: Stages, ctx: EmbedContext, beforeModel: () => Promise<void> = async () => {}): Promise<EmbedContext> {
  await exact.beforeTokenize(ctx);
  for (const i of ctx.pending()) ctx.tokenIds[i] = tokenize(ctx.texts[i]!);
  await exact.beforeBatch(ctx);
  near.beforeBatch(ctx);
  await beforeModel();
  for (const i of ctx.pending()) ctx.settle(i, vectorOf(ctx.texts[i]!), 'computed');
  exact.afterInference(ctx);
  near.afterInference(ctx);
  return ctx;
}

const original = 'the gnu c library development files and headers';
const nearby = 'the gnu c library development files and static headers';

async function nearHits(metrics: CacheMetrics): Promise<number> {
  return (await metrics.registry.getSingleMetric('embedline_cache_near_hits_total')!.get()).values.reduce((s, v) => s + v.value, 0);
}

describe('near-duplicate stage', () => {
  it('serves a near-duplicate the neighbour’s vector, marked cache-near, and counts it', async () => {
    const s = stages();
    await run(s, request([original]));

    const ctx = await run(s, request([nearby]));

    expect(ctx.sourceOf(0)).to.equal(NEAR_SOURCE);
    expect(Array.from(ctx.vectors[0]!)).to.deep.equal(Array.from(vectorOf(original)));
    expect(await nearHits(s.metrics)).to.equal(1);
  });

  it('never serves a critical request, though its computed vectors are indexed for others', async () => {
    const s = stages();
    await run(s, request([original], 'critical'));

    const critical = await run(s, request([nearby], 'critical'));
    const normal = await run(s, request(['the gnu c library development files and headers of static']));

    expect(critical.sourceOf(0)).to.equal('computed');
    expect(normal.sourceOf(0)).to.equal(NEAR_SOURCE);
    expect(s.tier.size).to.equal(2);
  });

  it('serves only the configured priorities and only the calibrated variant', async () => {
    const s = stages(['background']);
    await run(s, request([original]));

    expect((await run(s, request([nearby], 'normal'))).sourceOf(0)).to.equal('computed');
    expect((await run(s, request(['the gnu c library development files and static archives'], 'background', 'int8'))).sourceOf(0)).to.equal('computed');
  });

  it('does not store an approximate vector under the text’s exact keys', async () => {
    const s = stages();
    await run(s, request([original]));
    await run(s, request([nearby]));

    const critical = await run(s, request([nearby], 'critical'));

    expect(critical.sourceOf(0)).to.equal('computed');
    expect(Array.from(critical.vectors[0]!)).to.deep.equal(Array.from(vectorOf(nearby)));
  });

  it('releases single-flight followers of a text it served approximately to compute it themselves', async () => {
    const s = stages();
    await run(s, request([original]));
    const follower = request([nearby], 'critical');
    let following: Promise<void> | undefined;

    const leader = await run(s, request([nearby]), async () => {
      following = s.exact.beforeTokenize(follower);
    });
    await following;

    expect(leader.sourceOf(0)).to.equal(NEAR_SOURCE);
    expect(follower.pending()).to.deep.equal([0]);
    expect(follower.sourceOf(0)).to.equal(undefined);
  });

  it('leaves exact hits to the exact stage', async () => {
    const s = stages();
    await run(s, request([original]));
    const ctx = await run(s, request([original]));
    expect(ctx.sourceOf(0)).to.equal(CACHE_SOURCE);
    expect(await nearHits(s.metrics)).to.equal(0);
  });
});
