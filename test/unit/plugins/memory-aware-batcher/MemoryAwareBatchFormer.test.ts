import { expect } from 'chai';
import type { FormLimits } from '../../../../core/ports/BatchFormer.js';
import { LengthAwareBatchFormer } from '../../../../core/adaptive/index.js';
import { InMemoryBudget } from '../../../../core/pipeline/batching/InMemoryBudget.js';
import { DeviceBatchBudget } from '../../../../plugins/memory-aware-batcher/DeviceBatchBudget.js';
import { MemoryAwareBatchFormer } from '../../../../plugins/memory-aware-batcher/MemoryAwareBatchFormer.js';
import { MemoryAwareMetrics } from '../../../../plugins/memory-aware-batcher/MemoryAwareMetrics.js';
import { estimateBatchBytes } from '../../../../plugins/memory-aware-batcher/memoryEstimate.js';
import { workItem } from '../../../fixtures/workItem.js';
import { seededRandom } from '../predictive-batch-size/costCurveDevice.js';

const MINILM = { hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536 };
const limits: FormLimits = { maxBatchSize: 64, maxBatchTokens: 1_000_000, maxWaitMs: 2, maxPaddingRatio: 0.2, lookahead: 4 };

function former(budget: number, metrics = new MemoryAwareMetrics(new InMemoryBudget())): MemoryAwareBatchFormer {
  return new MemoryAwareBatchFormer(MINILM, new DeviceBatchBudget(new InMemoryBudget(), { budgetBytes: budget, workers: 1 }), 4, metrics);
}

describe('memory-aware-batcher former', () => {
  const budget = estimateBatchBytes(MINILM, 8, 256, 4);

  it('caps a batch of long texts at the rows the budget holds', () => {
    const queue = Array.from({ length: 40 }, (_, i) => workItem(i, { length: 256 }));

    expect(former(budget).form(queue, limits)).to.have.length(8);
  });

  it('batches short texts exactly as the length-aware former does', () => {
    const queue = Array.from({ length: 80 }, (_, i) => workItem(i, { length: 8 + (i % 24) }));

    expect(former(budget).form(queue, limits)).to.deep.equal(new LengthAwareBatchFormer().form(queue, limits));
  });

  it('never forms a batch over the budget from 500 random queues, except a lone text, and always takes the oldest', () => {
    const random = seededRandom(17);
    const f = former(budget);
    for (let q = 0; q < 500; q++) {
      const queue = Array.from({ length: 1 + Math.floor(random() * 120) }, (_, i) => workItem(i, { length: 2 + Math.floor(random() * 510) }));

      const batch = f.form(queue, limits);
      const longest = Math.max(...batch.map((it) => it.ids.length));

      expect(batch).to.include(queue[0]);
      if (batch.length > 1) expect(f.estimate(batch.length, longest), `queue ${q}`).to.be.at.most(budget);
    }
  });

  it('sends a text whose estimate alone passes the budget by itself, and counts it', async () => {
    const metrics = new MemoryAwareMetrics(new InMemoryBudget());
    const queue = [workItem(1, { length: 64 }), workItem(2, { length: 64 })];

    const batch = former(1000, metrics).form(queue, limits);

    expect(batch).to.have.length(1);
    expect(await metrics.registry.metrics()).to.match(/^embedline_memory_aware_batch_oversize_total 1$/m);
  });

  it('keeps each batch within the smallest share among the devices of its variant, once they have reported', () => {
    const memory = new InMemoryBudget();
    const f = new MemoryAwareBatchFormer(MINILM, new DeviceBatchBudget(memory, { budgetBytes: 1 << 40, workers: 1 }), 4, new MemoryAwareMetrics(memory));
    const queue = Array.from({ length: 60 }, (_, i) => workItem(i, { length: 256 }));
    memory.deviceStarted('cuda-0', { variant: 'fp32', limitBytes: 2 * estimateBatchBytes(MINILM, 12, 256, 4), limitSource: 'test', sessions: 2 });
    memory.deviceStarted('cuda-1', { variant: 'fp32', limitBytes: estimateBatchBytes(MINILM, 20, 256, 4), limitSource: 'test', sessions: 1 });
    memory.deviceStarted('cpu-int8', { variant: 'int8', limitBytes: estimateBatchBytes(MINILM, 2, 256, 4), limitSource: 'test', sessions: 1 });

    expect(f.form(queue, limits)).to.have.length(12);
  });
});
