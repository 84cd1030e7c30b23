import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteLru } from '../../../../../plugins/cache/ByteLru.js';
import { CacheMetrics } from '../../../../../plugins/cache/CacheMetrics.js';
import { CacheSnapshots } from '../../../../../plugins/cache/snapshot/CacheSnapshots.js';
import { FileSnapshotStore } from '../../../../../plugins/cache/snapshot/FileSnapshotStore.js';
import { readSnapshot, writeSnapshot } from '../../../../../plugins/cache/snapshot/snapshotFile.js';
import { VectorCache } from '../../../../../plugins/cache/VectorCache.js';

const DIMS = 8;
const vector = (fill: number): Float32Array => Float32Array.from({ length: DIMS }, (_, d) => fill + d / 10);

describe('cache snapshots', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-cache-snapshot-'));
    path = join(dir, 'nested', 'cache.snapshot');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back every key and vector bit for bit, with the TTL each had left', async () => {
    await writeSnapshot(path, [['t:a', vector(1), 60_000], ['k:b', vector(2), Number.POSITIVE_INFINITY]], DIMS, 1_000_000);

    const entries = await readSnapshot(path, DIMS, 1_000_000 + 10_000);

    expect(entries!.map(([key, v, ttl]) => [key, Array.from(v), ttl])).to.deep.equal([
      ['t:a', Array.from(vector(1)), 50_000],
      ['k:b', Array.from(vector(2)), Number.POSITIVE_INFINITY],
    ]);
  });

  it('leaves out entries that expired while nobody was running, by the wall clock', async () => {
    await writeSnapshot(path, [['t:a', vector(1), 60_000], ['t:b', vector(2), 120_000]], DIMS, 0);

    const entries = await readSnapshot(path, DIMS, 90_000);

    expect(entries!.map(([key]) => key)).to.deep.equal(['t:b']);
  });

  it('reports no snapshot when the file does not exist yet', async () => {
    expect(await readSnapshot(path, DIMS)).to.equal(undefined);
  });

  it('refuses a snapshot of vectors of another size, naming both sizes', async () => {
    await writeSnapshot(path, [['t:a', vector(1), 1_000]], DIMS);

    const error = await readSnapshot(path, 384).then(() => undefined, (e: Error) => e);

    expect(error?.message).to.match(/8-dimension vectors; this model has 384/);
  });

  it('refuses a file cut short', async () => {
    await writeSnapshot(path, [['t:a', vector(1), 1_000], ['t:b', vector(2), 1_000]], DIMS);
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, whole.length - 5));

    const error = await readSnapshot(path, DIMS).then(() => undefined, (e: Error) => e);

    expect(error?.message).to.match(/cut short after 1 of 2 entries/);
  });

  it('restores a saved cache in its LRU order, and starts empty with one log line on a file that is not a snapshot', async () => {
    const lines: string[] = [];
    const newCache = (): VectorCache => new VectorCache(new ByteLru({ maxBytes: 1 << 20, ttlMs: 0, sizeOf: (v: Float32Array) => v.byteLength, now: () => 0 }), undefined, new CacheMetrics());
    const first = newCache();
    first.put([['t:old', vector(1)], ['t:new', vector(2)]]);
    await new CacheSnapshots(first, new FileSnapshotStore(path), { intervalMs: 60_000, dimensions: DIMS }, (l) => lines.push(l)).save();

    const second = newCache();
    const loaded = await new CacheSnapshots(second, new FileSnapshotStore(path), { intervalMs: 60_000, dimensions: DIMS }, (l) => lines.push(l)).load();
    await writeFile(path, 'not a snapshot');
    const third = newCache();
    const none = await new CacheSnapshots(third, new FileSnapshotStore(path), { intervalMs: 60_000, dimensions: DIMS }, (l) => lines.push(l)).load();

    expect(loaded).to.equal(2);
    expect([...second.localEntries()].map(([key]) => key)).to.deep.equal(['t:old', 't:new']);
    expect(Array.from(second.getLocal('t:new')!)).to.deep.equal(Array.from(vector(2)));
    expect(none).to.equal(0);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/not loaded, starting empty: .* is not a cache snapshot/);
  });
});
