import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from '../../../../core/config/loadConfig.js';
import { buildContainer } from '../../../../core/container.js';
import { PlainAllocator } from '../../../../core/encoder/packBatch.js';
import { MEMORY_BUDGET } from '../../../../core/ports/MemoryBudget.js';
import { TENSOR_ALLOCATOR } from '../../../../core/ports/TensorAllocator.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';
import { PooledAllocator } from '../../../../plugins/memory-pool/PooledAllocator.js';
import { testCacheDir } from '../../../support/runtime.js';

function containerFor(env: Record<string, string>) {
  return buildContainer(loadConfig({ EMBEDLINE_CACHE_DIR: testCacheDir(), ...env }, undefined, tmpdir()), PLUGIN_CATALOGUE);
}

describe('memory-pool plugin wiring', () => {
  it('replaces the plain allocator when EMBEDDING_GPU_MEMORY_POOL is true', async () => {
    const allocator = await containerFor({ EMBEDDING_GPU_MEMORY_POOL: 'true' }).getAsync(TENSOR_ALLOCATOR);

    expect(allocator).to.be.instanceOf(PooledAllocator);
  });

  it('reports the bytes it holds into the memory port as memory-pool, lent and idle alike', async () => {
    const container = containerFor({ EMBEDDING_GPU_MEMORY_POOL: 'true', EMBEDLINE_MODEL_VERIFY_ON_START: 'false' });
    const allocator = (await container.getAsync(TENSOR_ALLOCATOR)) as PooledAllocator;
    const memory = await container.getAsync(MEMORY_BUDGET);

    const buffers = allocator.acquire(32 * 64);
    const lent = memory.snapshot().get('memory-pool');
    allocator.release(buffers);

    expect(lent).to.equal(allocator.stats().heldBytes).and.to.be.above(0);
    expect(memory.snapshot().get('memory-pool')).to.equal(allocator.stats().heldBytes);
    expect(memory.inUse()).to.equal(allocator.stats().heldBytes);
  });

  it('leaves the plain allocator in place when the switch is off', async () => {
    const allocator = await containerFor({ EMBEDDING_GPU_MEMORY_POOL: 'false' }).getAsync(TENSOR_ALLOCATOR);

    expect(allocator).to.be.instanceOf(PlainAllocator);
  });

  it('fails at start with the path of an invalid option', () => {
    const config = loadConfig({ EMBEDLINE_CACHE_DIR: testCacheDir() }, undefined, tmpdir());
    const invalid = { ...config, plugins: ['memory-pool'], pluginOptions: { 'memory-pool': { maxBytes: -1 } } };

    const error = (() => {
      try {
        buildContainer(invalid, PLUGIN_CATALOGUE);
      } catch (e) {
        return e;
      }
    })();

    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).to.contain('pluginOptions.memory-pool.maxBytes');
  });
});
