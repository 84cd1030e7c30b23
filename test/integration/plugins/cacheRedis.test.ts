import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startRedis, type LocalRedis } from '../../support/redis.js';
import { startCachedRuntime, type CachedRuntime } from './cacheSupport.js';

describe('cache plugin sharing through a real Redis', () => {
  let redis: LocalRedis;
  let a: CachedRuntime;
  let b: CachedRuntime;

  before(async () => {
    redis = await startRedis();
    const shared = { redis: { url: redis.url, maxReconnectDelayMs: 100, commandTimeoutMs: 1_000 } };
    [a, b] = await Promise.all([startCachedRuntime(shared), startCachedRuntime(shared)]);
    await Promise.all([a.stage.cache.shared!.whenUp(), b.stage.cache.shared!.whenUp()]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  async function computedByAThenAskedOfB(text: string): Promise<{ fromA: Float32Array; fromB: Float32Array; sourceB: string }> {
    const first = await a.runtime.pipeline.embed([text]);
    await a.stage.cache.shared!.whenWritten();
    const second = await b.runtime.pipeline.embed([text]);
    return { fromA: first.vectors[0]!.values, fromB: second.vectors[0]!.values, sourceB: second.sources[0]! };
  }

  it('serves in one runtime what another computed, bit for bit, without running its model', async () => {
    const computedByB = b.modelTexts();

    const { fromA, fromB, sourceB } = await computedByAThenAskedOfB('Shared between two instances through Redis.');

    expect(sourceB).to.equal('cache');
    expect(Array.from(fromB)).to.deep.equal(Array.from(fromA));
    expect(b.modelTexts()).to.equal(computedByB);
    expect(await b.metric('embedline_cache_hits_total', { tier: 'shared' })).to.equal(1);
    expect(await b.metric('embedline_cache_redis_up')).to.equal(1);
  });

  it('does not serve an instance running another model variant what the fp32 instances computed', async () => {
    const text = 'Each model variant has its own vectors.';
    await a.runtime.pipeline.embed([text]);
    await a.stage.cache.shared!.whenWritten();
    const int8 = await startCachedRuntime({ redis: { url: redis.url } }, { model: { variant: 'int8' } });
    try {
      await int8.stage.cache.shared!.whenUp();

      const result = await int8.runtime.pipeline.embed([text]);

      expect(result.sources).to.deep.equal(['computed']);
    } finally {
      await int8.close();
    }
  });

  it('treats a Redis slower than commandTimeoutMs as a miss, asked once per request, rather than waiting for it', async () => {
    const text = 'In Redis, but Redis is paused.';
    await a.runtime.pipeline.embed([text]);
    await a.stage.cache.shared!.whenWritten();
    const impatient = await startCachedRuntime({ redis: { url: redis.url, commandTimeoutMs: 100 } });
    const admin = new Redis(redis.url);
    try {
      await impatient.stage.cache.shared!.whenUp();
      // Paused clients include this one, so the pause must end by itself: 15 times the timeout.
      await admin.client('PAUSE', 1_500, 'ALL');

      const result = await impatient.runtime.pipeline.embed([text]);

      expect(result.sources).to.deep.equal(['computed']);
      expect(await impatient.metric('embedline_cache_redis_errors_total', { operation: 'lookup' })).to.equal(1);
    } finally {
      admin.disconnect();
      await impatient.close();
    }
  });

  it('keeps answering, local-only, while Redis is down, with the gauge at 0 and one log line', async () => {
    const local = 'Cached locally before Redis went away.';
    await a.runtime.pipeline.embed([local]);

    await redis.stop();
    const line = await a.logged(/Redis at .* lost/);
    const answers = await Promise.all([a.runtime.pipeline.embed(['Computed while Redis is down.']), a.runtime.pipeline.embed([local])]);
    await a.runtime.pipeline.embed(['Also computed while Redis is down.']);

    expect(answers.map((r) => r.sources[0])).to.deep.equal(['computed', 'cache']);
    expect(line).to.match(/in-process tier only/);
    expect(a.logLines.filter((l) => /lost|unreachable/.test(l))).to.have.length(1);
    expect(await a.metric('embedline_cache_redis_up')).to.equal(0);
  });

  it('shares again once Redis is back, and says so once', async () => {
    await redis.restart();
    await Promise.all([a.stage.cache.shared!.whenUp(), b.stage.cache.shared!.whenUp()]);

    const { fromA, fromB, sourceB } = await computedByAThenAskedOfB('Shared again after Redis came back.');

    expect(sourceB).to.equal('cache');
    expect(Array.from(fromB)).to.deep.equal(Array.from(fromA));
    expect(a.logLines.filter((l) => /reachable again/.test(l))).to.have.length(1);
    expect(await a.metric('embedline_cache_redis_up')).to.equal(1);
  });
});

describe('cache plugin with a Redis that is not there', () => {
  it('starts, answers from the model and logs one line saying it runs local-only', async () => {
    const gone = await startRedis();
    await gone.stop();
    const cached = await startCachedRuntime({ redis: { url: gone.url, maxReconnectDelayMs: 100 } });
    try {
      const line = await cached.logged(/unreachable/);
      const results = await Promise.all([cached.runtime.pipeline.embed(['Nobody listens on that port.']), cached.runtime.pipeline.embed(['Nobody at all.'])]);

      expect(results.map((r) => r.sources[0])).to.deep.equal(['computed', 'computed']);
      expect(line).to.match(/ECONNREFUSED/);
      expect(cached.logLines).to.have.length(1);
      expect(await cached.metric('embedline_cache_redis_up')).to.equal(0);
    } finally {
      await cached.close();
    }
  });
});
