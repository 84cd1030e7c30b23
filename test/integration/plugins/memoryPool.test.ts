import { expect } from 'chai';
import { packBatch } from '../../../core/encoder/packBatch.js';
import { DEFAULT_SESSION_TUNING } from '../../../core/encoder/sessionTuning.js';
import { WorkerPool } from '../../../core/encoder/WorkerPool.js';
import type { EmbedlineError } from '../../../core/errors.js';
import { TENSOR_ALLOCATOR } from '../../../core/ports/TensorAllocator.js';
import { pluginRegistries, type EmbedlineRuntime } from '../../../core/runtime.js';
import { memoryPoolConfigSchema } from '../../../plugins/memory-pool/config.js';
import { MemoryPoolMetrics } from '../../../plugins/memory-pool/MemoryPoolMetrics.js';
import { PooledAllocator } from '../../../plugins/memory-pool/PooledAllocator.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff, realModel } from '../../support/model.js';
import { defaultPathVectors, startTestRuntime } from '../../support/runtime.js';

describe('memory-pool plugin on the real model', () => {
  const texts = [...VARIED_SENTENCES];
  let reference: Map<string, Float32Array>;

  before(async () => {
    reference = await defaultPathVectors(texts);
  });

  async function withPool(options: Record<string, unknown>, body: (runtime: EmbedlineRuntime, pool: PooledAllocator) => Promise<void>): Promise<void> {
    const runtime = await startTestRuntime({ plugins: ['memory-pool'], batching: { maxWaitMs: 5, requestTimeoutMs: 110_000 }, pluginOptions: { 'memory-pool': options } });
    try {
      await body(runtime, (await runtime.container.getAsync(TENSOR_ALLOCATOR)) as PooledAllocator);
    } finally {
      await runtime.close();
    }
  }

  async function embedAllAndCheck(runtime: EmbedlineRuntime, requests: number): Promise<void> {
    const batches = Array.from({ length: requests }, (_, r) => Array.from({ length: 1 + (r % 5) }, (_, k) => texts[(r * 7 + k * 13) % texts.length]!));
    const results = await Promise.all(batches.map((batch) => runtime.pipeline.embed(batch, { timeoutMs: 600_000 })));
    results.forEach((result, r) => result.vectors.forEach((v, k) => expect(maxAbsDiff(v.values, reference.get(batches[r]![k]!)!), `request ${r} text ${k}`).to.be.at.most(1e-5)));
  }

  it('gives each of 500 concurrent mixed-size requests the same vectors as without the pool, reusing buffers', async () => {
    await withPool({}, async (runtime, pool) => {
      await embedAllAndCheck(runtime, 500);

      const stats = pool.stats();
      expect(stats.hits).to.be.greaterThan(0);
      expect(stats).to.include({ lentBuffers: 0, inUseBytes: 0 });
    });
  });

  it('gives the same vectors when ONNX Runtime writes into pooled pre-allocated outputs', async () => {
    await withPool({ preallocateOutputs: true }, async (runtime, pool) => {
      await embedAllAndCheck(runtime, 150);
      // Whether concurrent batches reuse buckets depends on timing; a repeated shape must.
      const before = pool.stats().hits;
      await runtime.pipeline.embed([texts[0]!]);
      await runtime.pipeline.embed([texts[0]!]);

      expect(pool.stats().hits).to.be.greaterThan(before);
    });
  });

  it('serves its six metrics on the registries /metrics reads', async () => {
    await withPool({}, async (runtime) => {
      await runtime.pipeline.embed(texts.slice(0, 10));

      const text = (await Promise.all(pluginRegistries(runtime).map((r) => r.metrics()))).join('\n');

      for (const name of ['hits_total', 'misses_total', 'bytes_held', 'bytes_in_use', 'fragmentation_ratio', 'allocation_seconds_count']) {
        expect(text).to.match(new RegExp(`^embedline_memory_pool_${name} `, 'm'));
      }
    });
  });

  it('drops the lease of a batch whose worker thread is killed mid-run, and keeps serving from the pool', async () => {
    const model = await realModel();
    const pool = new PooledAllocator(memoryPoolConfigSchema.parse({}), new MemoryPoolMetrics(), model.dimensions);
    const workers = await WorkerPool.start(1, { modelPath: model.onnxPath('fp32'), tuning: DEFAULT_SESSION_TUNING, dimensions: model.dimensions });
    const rows = [Int32Array.of(101, 7592, 2088, 102)];
    const run = () => workers.run(() => packBatch(rows, pool), (buffers) => pool.release(buffers));
    try {
      // The exit request is queued ahead of the batch, so the thread dies holding it.
      const dying = workers.terminateWorker(0);
      const killed = run();
      await dying;
      const error = await killed.catch((e: unknown) => e);

      expect((error as EmbedlineError).code).to.equal('EMBEDLINE_WORKER_CRASHED');
      expect(pool.stats()).to.include({ lentBuffers: 0, heldBytes: 0, inUseBytes: 0 });

      const { vectors } = await run();
      expect(vectors).to.have.length(model.dimensions);
      expect(pool.stats()).to.include({ misses: 2, lentBuffers: 0 });
    } finally {
      await workers.close();
    }
  });
});
