import { expect } from 'chai';
import { openVectorIndex } from '../../../../../plugins/cache/ann/openVectorIndex.js';
import { ByteLru } from '../../../../../plugins/cache/ByteLru.js';
import { CacheMetrics } from '../../../../../plugins/cache/CacheMetrics.js';
import { NearDuplicateTier } from '../../../../../plugins/cache/neardup/NearDuplicateTier.js';
import { NgramSketcher } from '../../../../../plugins/cache/neardup/NgramSketcher.js';
import { SketchIndex } from '../../../../../plugins/cache/neardup/SketchIndex.js';
import { VectorCache } from '../../../../../plugins/cache/VectorCache.js';

const sketcher = new NgramSketcher(5, 256);
const noFallback = (line: string): never => {
  throw new Error(`faiss-node should be built for this test (npm run faiss:build): ${line}`);
};
const open = (d: number) => openVectorIndex(d, noFallback);
const texts = Array.from({ length: 40 }, (_, i) => `package number ${i} provides the ${['shared library', 'documentation', 'development files', 'command line tools'][i % 4]} of project ${String.fromCharCode(97 + (i % 26))}${i}`);

/** A tier over a real LRU whose drops it follows, as index.ts wires them. */
function tierOver(maxBytes: number, ttlMs = 0): { tier: NearDuplicateTier; lru: ByteLru<Float32Array>; cache: VectorCache; clock: { now: number } } {
  const clock = { now: 0 };
  let tier: NearDuplicateTier | undefined;
  const lru = new ByteLru<Float32Array>({ maxBytes, ttlMs, sizeOf: (v) => v.byteLength, now: () => clock.now, onDrop: (key) => tier?.forget(key) });
  const cache = new VectorCache(lru, undefined, new CacheMetrics());
  tier = new NearDuplicateTier(sketcher, { threshold: 0.8, k: 4, linearBelow: 8, open }, cache);
  return { tier, lru, cache, clock };
}

const vectorOf = (i: number): Float32Array => Float32Array.from({ length: 4 }, (_, d) => i + d);

describe('near-duplicate index', () => {
  it('finds what was added, forgets what was removed, and moves from a linear scan to FAISS at linearBelow', () => {
    const index = new SketchIndex(sketcher, { k: 3, linearBelow: 16, open });
    texts.slice(0, 15).forEach((t, i) => index.add(`k${i}`, sketcher.sketch(t)));
    expect(index.kind).to.equal('linear');
    texts.slice(15).forEach((t, i) => index.add(`k${i + 15}`, sketcher.sketch(t)));
    expect(index.kind).to.equal('faiss-flat');

    expect(index.search(sketcher.sketch(texts[20]!))[0]).to.deep.include({ key: 'k20' });
    expect(index.remove('k20')).to.equal(true);
    expect(index.search(sketcher.sketch(texts[20]!)).map((c) => c.key)).not.to.include('k20');
    expect(index.size).to.equal(39);
    expect(index.add('k21', sketcher.sketch(texts[21]!))).to.equal(false);
  });

  it('answers the same on FAISS as on the linear scan', () => {
    const linear = new SketchIndex(sketcher, { k: 4, linearBelow: Number.MAX_SAFE_INTEGER, open });
    const faiss = new SketchIndex(sketcher, { k: 4, linearBelow: 0, open });
    texts.forEach((t, i) => [linear, faiss].forEach((index) => index.add(`k${i}`, sketcher.sketch(t))));
    for (const i of [3, 17, 33]) {
      const query = sketcher.sketch(`${texts[i]!} and more`);
      const [a, b] = [linear.search(query), faiss.search(query)];
      expect(b.map((c) => c.key)).to.deep.equal(a.map((c) => c.key));
      b.forEach((c, n) => expect(c.similarity).to.be.closeTo(a[n]!.similarity, 1e-5));
    }
  });

  it('serves a neighbour at or above τ with its exact-tier vector, and nothing below τ', () => {
    const { tier, cache } = tierOver(1 << 20);
    cache.put([['k:a', vectorOf(1)]]);
    tier.add('scope', 'k:a', sketcher.sketch(texts[0]!));

    const hit = tier.find('scope', sketcher.sketch(`${texts[0]!}.`));
    expect(hit?.key).to.equal('k:a');
    expect(Array.from(hit!.vector)).to.deep.equal(Array.from(vectorOf(1)));
    expect(hit!.similarity).to.be.at.least(0.8);
    expect(tier.find('scope', sketcher.sketch('an unrelated window about compilers'))).to.equal(undefined);
  });

  it('never serves across scopes (model, variant, format, truncation)', () => {
    const { tier, cache } = tierOver(1 << 20);
    cache.put([['k:a', vectorOf(1)]]);
    tier.add('scope-fp32', 'k:a', sketcher.sketch(texts[0]!));
    expect(tier.find('scope-int8', sketcher.sketch(texts[0]!))).to.equal(undefined);
  });

  it('drops an entry the exact LRU evicts', () => {
    // Room for two entries of 16 bytes + key + overhead.
    const { tier, cache } = tierOver(2 * (16 + 96 + 6) + 10);
    cache.put([['k:a', vectorOf(1)]]);
    tier.add('s', 'k:a', sketcher.sketch(texts[0]!));
    cache.put([['k:b', vectorOf(2)]]);
    tier.add('s', 'k:b', sketcher.sketch(texts[1]!));
    cache.put([['k:c', vectorOf(3)]]);

    expect(tier.has('k:a')).to.equal(false);
    expect(tier.has('k:b')).to.equal(true);
    expect(tier.size).to.equal(1);
    expect(tier.find('s', sketcher.sketch(texts[0]!))?.key).not.to.equal('k:a');
  });

  it('drops an entry whose exact entry expired, when it is next looked up, and serves nothing for it', () => {
    const { tier, cache, clock } = tierOver(1 << 20, 1_000);
    cache.put([['k:a', vectorOf(1)]]);
    tier.add('s', 'k:a', sketcher.sketch(texts[0]!));
    clock.now = 1_000;

    expect(tier.find('s', sketcher.sketch(texts[0]!))).to.equal(undefined);
    expect(tier.has('k:a')).to.equal(false);
  });

  it('keeps an entry whose exact entry is only replaced (the same key stored again)', () => {
    const { tier, cache } = tierOver(1 << 20);
    cache.put([['k:a', vectorOf(1)]]);
    tier.add('s', 'k:a', sketcher.sketch(texts[0]!));
    cache.put([['k:a', vectorOf(1)]]);
    expect(tier.has('k:a')).to.equal(true);
  });

  it('tells listeners of its own entries but not of peers’', () => {
    const { tier, cache } = tierOver(1 << 20);
    const told: string[] = [];
    tier.onAdded((_scope, key) => told.push(key));
    cache.put([['k:a', vectorOf(1)], ['k:b', vectorOf(2)]]);
    tier.add('s', 'k:a', sketcher.sketch(texts[0]!));
    tier.add('s', 'k:b', sketcher.sketch(texts[1]!), 'peer');
    expect(told).to.deep.equal(['k:a']);
  });
});

describe('near-duplicate index on an approximate FAISS index', () => {
  it('moves to HNSW at linearBelow and still finds each entry, and forgets removed ones', async () => {
    const { indexSpecSchema } = await import('../../../../../plugins/cache/ann/indexSpec.js');
    const spec = indexSpecSchema.parse({ kind: 'hnsw', hnsw: { efSearch: 64 } });
    const index = new SketchIndex(sketcher, { k: 4, linearBelow: 8, open: (d) => openVectorIndex(d, noFallback, 'faiss-node', spec) });
    texts.forEach((t, i) => index.add(`k${i}`, sketcher.sketch(t)));

    expect(index.kind).to.equal('faiss-hnsw');
    for (const i of [0, 9, 27, 39]) expect(index.search(sketcher.sketch(texts[i]!))[0]).to.deep.include({ key: `k${i}` });
    index.remove('k9');
    expect(index.search(sketcher.sketch(texts[9]!)).map((c) => c.key)).not.to.include('k9');
  });
});

describe('near-duplicate index in the cache snapshot', () => {
  it('comes back with the exact entries that came back, and refuses a snapshot of another sketch', async () => {
    const { nearDuplicateSnapshot } = await import('../../../../../plugins/cache/neardup/nearDuplicateSnapshot.js');
    const before = tierOver(1 << 20);
    before.cache.put([['k:a', vectorOf(1)], ['k:b', vectorOf(2)]]);
    before.tier.add('s1', 'k:a', sketcher.sketch(texts[0]!));
    before.tier.add('s2', 'k:b', sketcher.sketch(texts[1]!));
    const bytes = await nearDuplicateSnapshot(before.tier, before.cache).save();

    const after = tierOver(1 << 20);
    after.cache.put([['k:a', vectorOf(1)]]);
    await nearDuplicateSnapshot(after.tier, after.cache).restore(bytes);

    expect(after.tier.has('k:a')).to.equal(true);
    expect(after.tier.has('k:b')).to.equal(false);
    expect(after.tier.find('s1', sketcher.sketch(texts[0]!))?.key).to.equal('k:a');
    const other = new NearDuplicateTier(new NgramSketcher(4, 256), { threshold: 0.8, k: 4, linearBelow: 8, open }, after.cache);
    expect(() => nearDuplicateSnapshot(other, after.cache).restore(bytes)).to.throw(/made with sketch ngram:n=5:d=256/);
  });
});
