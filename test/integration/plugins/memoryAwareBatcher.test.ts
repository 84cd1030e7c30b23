import { rm } from 'node:fs/promises';
import { expect } from 'chai';
import { BATCH_FORMER } from '../../../core/ports/BatchFormer.js';
import { MEMORY_BUDGET } from '../../../core/ports/MemoryBudget.js';
import { pluginRegistries, type EmbedlineRuntime } from '../../../core/runtime.js';
import type { MemoryAwareBatchFormer } from '../../../plugins/memory-aware-batcher/MemoryAwareBatchFormer.js';
import { estimateBatchBytes } from '../../../plugins/memory-aware-batcher/memoryEstimate.js';
import { adaptiveStatePath } from '../../../core/adaptive/index.js';
import { LONG_TEXTS, VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff } from '../../support/model.js';
import { defaultPathVectors, startTestRuntime, testCacheDir } from '../../support/runtime.js';

const MINILM = { hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536 };

describe('memory-aware-batcher plugin on the real model', () => {
  const texts = [...VARIED_SENTENCES, ...LONG_TEXTS, ...LONG_TEXTS];
  const stateFile = `memory-aware.test-${process.pid}.json`;
  // Four rows of the model's longest texts per batch: tight enough that long texts get capped.
  const batchBudget = estimateBatchBytes(MINILM, 4, 256, 4);
  let reference: Map<string, Float32Array>;

  before(async () => {
    reference = await defaultPathVectors(texts);
  });

  after(() => rm(adaptiveStatePath(testCacheDir(), stateFile), { force: true }));

  async function embedAllAndCheck(runtime: EmbedlineRuntime): Promise<void> {
    const requests = Array.from({ length: 200 }, (_, r) => Array.from({ length: 1 + (r % 5) }, (_, k) => texts[(r * 7 + k * 13) % texts.length]!));
    const results = await Promise.all(requests.map((batch) => runtime.pipeline.embed(batch, { timeoutMs: 600_000 })));
    results.forEach((result, r) => result.vectors.forEach((v, k) => expect(maxAbsDiff(v.values, reference.get(requests[r]![k]!)!)).to.be.at.most(1e-5)));
  }

  for (const plugins of [['memory-aware-batcher'], ['memory-aware-batcher', 'predictive-batch-size']]) {
    it(`gives the static path's vectors within a tight memory budget, capping long batches (${plugins.join(' + ')})`, async () => {
      const runtime = await startTestRuntime({
        plugins,
        encoder: { workers: 2 },
        batching: { maxBatchSize: 32, maxWaitMs: 5, requestTimeoutMs: 600_000 },
        pluginOptions: { 'memory-aware-batcher': { budgetBytes: 2 * batchBudget }, ...(plugins.includes('predictive-batch-size') ? { 'predictive-batch-size': { minSamples: 8, stateFile } } : {}) },
      });
      try {
        await embedAllAndCheck(runtime);
        const former = (await runtime.container.getAsync(BATCH_FORMER)) as MemoryAwareBatchFormer;
        const metrics = (await Promise.all(pluginRegistries(runtime).map((r) => r.metrics()))).join('\n');

        const device = [...(await runtime.container.getAsync(MEMORY_BUDGET)).devices().values()];

        // The device reported its limit (budgetBytes, two sessions), and never had more in flight than it.
        expect(former.budgetFor('fp32')).to.equal(batchBudget);
        expect(device).to.have.length(1);
        expect(device[0]).to.include({ limitBytes: 2 * batchBudget, limitSource: 'configured budgetBytes', sessions: 2, inFlightBytes: 0 });
        expect(device[0]!.peakInFlightBytes).to.be.above(0).and.at.most(2 * batchBudget);
        expect(Number(/^embedline_memory_aware_batch_capped_total (\d+)$/m.exec(metrics)?.[1])).to.be.above(0);
      } finally {
        await runtime.close();
      }
    });
  }
});
