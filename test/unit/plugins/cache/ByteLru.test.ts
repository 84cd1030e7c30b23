import { expect } from 'chai';
import { ByteLru, ENTRY_OVERHEAD_BYTES } from '../../../../plugins/cache/ByteLru.js';

/** Each entry costs its vector, its key (2 bytes a character) and the fixed overhead. */
const KEY = 'k0';
const VECTOR_BYTES = 384 * 4;
const ENTRY_BYTES = VECTOR_BYTES + ENTRY_OVERHEAD_BYTES + KEY.length * 2;

function lru(opts: { entries: number; ttlMs?: number; clock?: { now: number } }): ByteLru<Float32Array> {
  const clock = opts.clock ?? { now: 0 };
  return new ByteLru<Float32Array>({ maxBytes: opts.entries * ENTRY_BYTES, ttlMs: opts.ttlMs ?? 0, sizeOf: (v) => v.byteLength, now: () => clock.now });
}

const vector = (fill: number): Float32Array => new Float32Array(384).fill(fill);

describe('cache ByteLru', () => {
  it('charges each entry its value, its key and the fixed overhead', () => {
    const cache = lru({ entries: 2 });

    cache.set(KEY, vector(0));

    expect(cache.stats).to.deep.equal({ entries: 1, bytes: ENTRY_BYTES });
  });

  it('evicts the least recently used entries once the byte budget is full, and says how many', () => {
    const cache = lru({ entries: 3 });
    ['k1', 'k2', 'k3'].forEach((k, i) => cache.set(k, vector(i)));
    cache.get('k1'); // k2 is now the least recently used

    const evicted = cache.set('k4', vector(4));

    expect(evicted).to.equal(1);
    expect(cache.get('k2')).to.equal(undefined);
    expect(cache.get('k1')?.[0]).to.equal(0);
    expect(cache.stats.bytes).to.be.at.most(3 * ENTRY_BYTES);
  });

  it('evicts as many small entries as a large one needs', () => {
    const cache = lru({ entries: 4 });
    ['k1', 'k2', 'k3', 'k4'].forEach((k, i) => cache.set(k, vector(i)));

    const evicted = cache.set('kb', new Float32Array(384 * 2 + 50));

    expect(evicted).to.equal(3);
    expect(cache.stats.entries).to.equal(2);
    expect(cache.get('k4')).to.not.equal(undefined);
  });

  it('does not store a value larger than the whole budget and keeps what it had', () => {
    const cache = lru({ entries: 2 });
    cache.set('k1', vector(1));

    const evicted = cache.set('huge', new Float32Array(384 * 3));

    expect(evicted).to.equal(0);
    expect(cache.get('huge')).to.equal(undefined);
    expect(cache.stats.entries).to.equal(1);
  });

  it('replacing a key frees the old value’s bytes', () => {
    const cache = lru({ entries: 2 });
    cache.set(KEY, vector(1));

    cache.set(KEY, vector(2));

    expect(cache.stats).to.deep.equal({ entries: 1, bytes: ENTRY_BYTES });
    expect(cache.get(KEY)?.[0]).to.equal(2);
  });

  it('misses an entry once its TTL has passed on the injected clock, and frees its bytes', () => {
    const clock = { now: 1_000 };
    const cache = lru({ entries: 2, ttlMs: 60_000, clock });
    cache.set(KEY, vector(1));

    clock.now += 59_999;
    const before = cache.get(KEY);
    clock.now += 1;
    const after = cache.get(KEY);

    expect(before?.[0]).to.equal(1);
    expect(after).to.equal(undefined);
    expect(cache.stats).to.deep.equal({ entries: 0, bytes: 0 });
  });

  it('keeps entries without a TTL however much time passes', () => {
    const clock = { now: 0 };
    const cache = lru({ entries: 2, ttlMs: 0, clock });
    cache.set(KEY, vector(1));

    clock.now = Number.MAX_SAFE_INTEGER;

    expect(cache.get(KEY)?.[0]).to.equal(1);
  });

  it('lists live entries least recently used first, with the time each has left', () => {
    const clock = { now: 0 };
    const cache = lru({ entries: 3, ttlMs: 60_000, clock });
    cache.set('k1', vector(1));
    cache.set('k2', vector(2), 10_000);
    cache.set('k3', vector(3), Number.POSITIVE_INFINITY);
    cache.get('k1');

    clock.now = 10_000;

    expect([...cache.entries()].map(([key, , left]) => [key, left])).to.deep.equal([
      ['k3', Number.POSITIVE_INFINITY],
      ['k1', 50_000],
    ]);
  });
});
