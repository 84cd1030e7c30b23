import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachedRuntime } from './cacheSupport.js';

describe('cache plugin snapshots on the real model', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-cache-snapshot-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a new process warm from the snapshot of the last one: same vectors, no model work', async () => {
    const snapshot = { path: join(dir, 'cache.snapshot') };
    const texts = ['Warm after a restart.', 'So is this one.'];
    const before = await startCachedRuntime({ snapshot });
    let computed: Float32Array[];
    try {
      computed = (await before.runtime.pipeline.embed(texts)).vectors.map((v) => v.values);
      await before.stage.snapshots!.save();
    } finally {
      await before.close();
    }

    const after = await startCachedRuntime({ snapshot });
    try {
      const result = await after.runtime.pipeline.embed(texts);

      expect(result.sources).to.deep.equal(['cache', 'cache']);
      result.vectors.forEach((v, i) => expect(Array.from(v.values)).to.deep.equal(Array.from(computed[i]!)));
      expect(after.modelTexts()).to.equal(0);
    } finally {
      await after.close();
    }
  });
});
