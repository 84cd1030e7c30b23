import { expect } from 'chai';
import { ByteLru } from '../../../../../plugins/cache/ByteLru.js';
import { CacheMetrics } from '../../../../../plugins/cache/CacheMetrics.js';
import { CacheSnapshots } from '../../../../../plugins/cache/snapshot/CacheSnapshots.js';
import { decodeSnapshot, encodeSnapshot } from '../../../../../plugins/cache/snapshot/snapshotCodec.js';
import type { SnapshotStore } from '../../../../../plugins/cache/snapshot/SnapshotStore.js';
import { VectorCache } from '../../../../../plugins/cache/VectorCache.js';

const DIMS = 4;
const vector = (fill: number): Float32Array => Float32Array.from({ length: DIMS }, (_, d) => fill + d / 10);
const newCache = (): VectorCache => new VectorCache(new ByteLru({ maxBytes: 1 << 20, ttlMs: 0, sizeOf: (v: Float32Array) => v.byteLength, now: () => 0 }), undefined, new CacheMetrics());

/** A store in memory: the bytes it was last given, or a failure on demand. */
class MemoryStore implements SnapshotStore {
  readonly location = 'memory://snapshot';
  bytes: Uint8Array | undefined;
  failWith: Error | undefined;
  async read(): Promise<Uint8Array | undefined> {
    if (this.failWith) throw this.failWith;
    return this.bytes;
  }
  async write(bytes: Uint8Array): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.bytes = bytes;
  }
}

describe('cache snapshot sections (the vector indexes\' extension point)', () => {
  it('encodes sections after the entries and decodes both back, byte for byte', () => {
    const bytes = encodeSnapshot([['t:a', vector(1), Number.POSITIVE_INFINITY]], DIMS, [
      { name: 'neardup', bytes: Uint8Array.from([1, 2, 3]) },
      { name: 'empty', bytes: new Uint8Array() },
      { name: 'search', bytes: Uint8Array.from([9]) },
    ]);

    const { entries, sections } = decodeSnapshot(bytes, DIMS, 'test');

    expect(entries.map(([key, v]) => [key, Array.from(v)])).to.deep.equal([['t:a', Array.from(vector(1))]]);
    expect([...sections].map(([name, b]) => [name, Array.from(b)])).to.deep.equal([['neardup', [1, 2, 3]], ['empty', []], ['search', [9]]]);
  });

  it('refuses a snapshot cut short inside a section', () => {
    const bytes = encodeSnapshot([], DIMS, [{ name: 'search', bytes: new Uint8Array(10) }]);

    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 1), DIMS, 'test')).to.throw(/cut short in its section "search"/);
  });

  it('reads a v1 snapshot (no sections), as written before sections existed', () => {
    const v1 = Buffer.concat([Buffer.from('embedline-cache-snapshot v1\n{"dimensions":4,"entries":0}\n')]);

    expect(decodeSnapshot(v1, DIMS, 'test')).to.deep.equal({ entries: [], sections: new Map() });
  });

  it('saves registered sections with the entries and restores each one, registered before or after the load', async () => {
    const store = new MemoryStore();
    const first = new CacheSnapshots(newCache(), store, { intervalMs: 60_000, dimensions: DIMS }, () => {});
    await first.register({ name: 'early', save: () => Uint8Array.from([1]), restore: () => {} });
    await first.register({ name: 'late', save: async () => Uint8Array.from([2, 2]), restore: () => {} });
    await first.save();

    const restored: [string, number[]][] = [];
    const second = new CacheSnapshots(newCache(), store, { intervalMs: 60_000, dimensions: DIMS }, () => {});
    await second.register({ name: 'early', save: () => new Uint8Array(), restore: (b) => void restored.push(['early', Array.from(b)]) });
    await second.load();
    await second.register({ name: 'late', save: () => new Uint8Array(), restore: (b) => void restored.push(['late', Array.from(b)]) });

    expect(restored).to.deep.equal([['early', [1]], ['late', [2, 2]]]);
  });

  it('logs a section that cannot restore and still restores the entries; refuses a name registered twice', async () => {
    const store = new MemoryStore();
    const source = newCache();
    source.put([['t:a', vector(1)]]);
    const first = new CacheSnapshots(source, store, { intervalMs: 60_000, dimensions: DIMS }, () => {});
    await first.register({ name: 'search', save: () => Uint8Array.from([7]), restore: () => {} });
    await first.save();

    const lines: string[] = [];
    const target = newCache();
    const second = new CacheSnapshots(target, store, { intervalMs: 60_000, dimensions: DIMS }, (l) => lines.push(l));
    await second.register({ name: 'search', save: () => new Uint8Array(), restore: () => { throw new Error('index of another kind'); } });
    const loaded = await second.load();

    expect(loaded).to.equal(1);
    expect(Array.from(target.getLocal('t:a')!)).to.deep.equal(Array.from(vector(1)));
    expect(lines).to.deep.equal(['cache: snapshot section "search" not restored, it starts empty: index of another kind']);
    const again = await second.register({ name: 'search', save: () => new Uint8Array(), restore: () => {} }).then(() => undefined, (e: Error) => e);
    expect(again?.message).to.match(/registered twice/);
  });

  it('starts empty with one log line when the store fails or has no snapshot yet; close() writes the last one', async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    const cache = newCache();
    const snapshots = new CacheSnapshots(cache, store, { intervalMs: 60_000, dimensions: DIMS }, (l) => lines.push(l));

    expect(await snapshots.load()).to.equal(0);
    store.failWith = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error' });
    expect(await snapshots.load()).to.equal(0);
    store.failWith = undefined;
    cache.put([['t:last', vector(3)]]);
    expect(await snapshots.close()).to.equal(1);

    expect(lines).to.deep.equal([
      'cache: no snapshot at memory://snapshot yet, starting empty',
      'cache: snapshot memory://snapshot not loaded, starting empty: connect ECONNREFUSED 127.0.0.1:1',
    ]);
    expect(decodeSnapshot(store.bytes!, DIMS, 'test').entries.map(([key]) => key)).to.deep.equal(['t:last']);
  });
});
