import { expect } from 'chai';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { startTestRuntime } from '../../support/runtime.js';
import { startCachedRuntime, type CachedRuntime } from './cacheSupport.js';

describe('cache plugin on the real model', () => {
  let cached: CachedRuntime;

  before(async () => {
    cached = await startCachedRuntime();
  });

  after(async () => {
    await cached?.close();
  });

  it('answers a repeated text from the cache with the identical vector, without tokenizer or model', async () => {
    const text = 'The cache answers this sentence the second time it is asked.';
    const first = await cached.runtime.pipeline.embed([text]);
    const computedBefore = cached.modelTexts();

    const second = await cached.runtime.pipeline.embed([text]);

    expect(first.sources).to.deep.equal(['computed']);
    expect(second.sources).to.deep.equal(['cache']);
    expect(Array.from(second.vectors[0]!.values)).to.deep.equal(Array.from(first.vectors[0]!.values));
    expect(second.promptTokens).to.equal(0);
    expect(cached.modelTexts()).to.equal(computedBefore);
  });

  it('gives the vectors a runtime without the cache computes', async () => {
    const texts = ['A sentence about the weather.', 'Another one about trains.'];
    await cached.runtime.pipeline.embed(texts);
    const fromCache = await cached.runtime.pipeline.embed(texts);
    const plain = await startTestRuntime({ encoder: { workers: 1 } });
    try {
      const reference = await plain.pipeline.embed(texts);

      expect(fromCache.sources).to.deep.equal(['cache', 'cache']);
      fromCache.vectors.forEach((v, i) => expect(Array.from(v.values)).to.deep.equal(Array.from(reference.vectors[i]!.values)));
    } finally {
      await plain.close();
    }
  });

  it('computes a text once when 8 requests for it arrive together', async () => {
    const text = 'Eight clients ask for this sentence at the same moment.';
    const missesBefore = await cached.metric('embedline_cache_misses_total');
    const computedBefore = cached.modelTexts();

    const results = await Promise.all(Array.from({ length: 8 }, () => cached.runtime.pipeline.embed([text])));

    expect(results.filter((r) => r.sources[0] === 'computed')).to.have.length(1);
    expect(cached.modelTexts() - computedBefore).to.equal(1);
    expect((await cached.metric('embedline_cache_misses_total')) - missesBefore).to.equal(1);
    results.forEach((r) => expect(Array.from(r.vectors[0]!.values)).to.deep.equal(Array.from(results[0]!.vectors[0]!.values)));
  });

  it('answers a text that differs only in case, accents and spacing from its token ids, tokenized but not inferred', async () => {
    await cached.runtime.pipeline.embed(['Token ids decide this one, at the café.']);
    const computedBefore = cached.modelTexts();

    const variant = await cached.runtime.pipeline.embed(['TOKEN   ids decide\tthis one, at the CAFE.']);

    expect(variant.sources).to.deep.equal(['cache']);
    expect(variant.promptTokens).to.be.greaterThan(0);
    expect(cached.modelTexts()).to.equal(computedBefore);
    expect(await cached.metric('embedline_cache_hits_total', { key: 'tokens' })).to.be.at.least(1);
  });

  it('reports hits per priority, misses, entries and bytes on /metrics', async () => {
    const text = 'Counted in the metrics.';
    await cached.runtime.pipeline.embed([text], { priority: 'background' });
    await cached.runtime.pipeline.embed([text], { priority: 'background' });

    expect(await cached.metric('embedline_cache_hits_total', { priority: 'background', key: 'text', tier: 'local' })).to.equal(1);
    expect(await cached.metric('embedline_cache_misses_total', { priority: 'background' })).to.equal(1);
    expect(await cached.metric('embedline_cache_entries')).to.be.greaterThan(0);
    expect(await cached.metric('embedline_cache_bytes')).to.be.greaterThan(384 * 4);
  });

  // The precision plugin needs the model's calibration file, which a fresh machine does not have.
  it('works alongside the memory-pool and slo-tracker plugins', async () => {
    const others = ['memory-pool', 'slo-tracker'].filter((name) => name in PLUGIN_CATALOGUE);
    const runtime = await startTestRuntime({ plugins: ['cache', ...others], encoder: { workers: 1 } });
    try {
      const text = 'Cached with the other plugins enabled.';
      const first = await runtime.pipeline.embed([text], { priority: 'critical' });
      const second = await runtime.pipeline.embed([text], { priority: 'critical' });

      expect(others).to.have.length(2);
      expect([first.sources[0], second.sources[0]]).to.deep.equal(['computed', 'cache']);
      expect(Array.from(second.vectors[0]!.values)).to.deep.equal(Array.from(first.vectors[0]!.values));
    } finally {
      await runtime.close();
    }
  });
});
