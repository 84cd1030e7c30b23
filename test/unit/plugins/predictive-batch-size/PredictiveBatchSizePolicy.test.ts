import { once } from 'node:events';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import type { PriorityQueueState } from '../../../../core/ports/BatchSizePolicy.js';
import type { Priority } from '../../../../core/pipeline/types.js';
import { predictiveBatchSizeConfigSchema } from '../../../../plugins/predictive-batch-size/config.js';
import { adaptiveStatePath } from '../../../../core/adaptive/index.js';
import { createPredictivePolicy } from '../../../../plugins/predictive-batch-size/index.js';
import { PredictiveMetrics } from '../../../../plugins/predictive-batch-size/PredictiveMetrics.js';
import type { PredictiveBatchSizePolicy } from '../../../../plugins/predictive-batch-size/PredictiveBatchSizePolicy.js';
import { CostCurveDevice, CPU_LIKE, randomShape, seededRandom } from './costCurveDevice.js';

const empty: PriorityQueueState = { depth: 0, oldestWaitMs: 0 };
const queued = (...priorities: Priority[]): Record<Priority, PriorityQueueState> => ({
  critical: priorities.includes('critical') ? { depth: 5, oldestWaitMs: 1 } : empty,
  normal: priorities.includes('normal') ? { depth: 5, oldestWaitMs: 1 } : empty,
  background: priorities.includes('background') ? { depth: 5, oldestWaitMs: 1 } : empty,
});

async function policyIn(cacheDir: string, options: Record<string, unknown> = {}, metrics = new PredictiveMetrics()): Promise<PredictiveBatchSizePolicy> {
  const core = configSchema.parse({ cacheDir });
  return createPredictivePolicy(predictiveBatchSizeConfigSchema.parse(options), core, metrics);
}

function train(policy: PredictiveBatchSizePolicy, device: CostCurveDevice, random: () => number, batches: number, seqLen?: number): void {
  for (let i = 0; i < batches; i++) {
    const shape = randomShape(random);
    policy.record(device.run(shape.rows, seqLen ?? shape.seqLen));
  }
}

describe('predictive-batch-size policy', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'embedline-predictive-'));
  });

  it('serves the static shape until it has learned from minSamples batches', async () => {
    const policy = await policyIn(cacheDir, { minSamples: 20 });
    const random = seededRandom(2);
    const device = new CostCurveDevice(CPU_LIKE, random);

    train(policy, device, random, 19);
    const before = policy.next({ queuedTexts: 10, byPriority: queued('normal') });
    train(policy, device, random, 1);
    const after = policy.next({ queuedTexts: 10, byPriority: queued('normal') });

    expect(before).to.deep.equal({ maxBatchSize: 16, maxBatchTokens: 8192, maxWaitMs: 2 });
    expect(after).to.not.deep.equal(before);
  });

  it('picks a size within 3% of the best true throughput that meets each priority\'s target on the true curve', async () => {
    const targets = { critical: 40, normal: 150, background: 1000 };
    const policy = await policyIn(cacheDir, { latencyTargetMs: targets, maxBatchSizeLimit: 256 });
    const random = seededRandom(4);
    const device = new CostCurveDevice(CPU_LIKE, random);
    train(policy, device, random, 300, 64);

    for (const priority of ['critical', 'normal', 'background'] as const) {
      const shape = policy.next({ queuedTexts: 50, byPriority: queued(priority) });
      const inferenceBudget = targets[priority] * 0.75;
      let bestRate = 0;
      for (let rows = 1; rows <= 256 && device.trueMs(rows, 64) <= inferenceBudget; rows++) bestRate = Math.max(bestRate, rows / device.trueMs(rows, 64));

      expect(shape.maxBatchSize / device.trueMs(shape.maxBatchSize, 64), priority).to.be.at.least(0.97 * bestRate);
      expect(device.trueMs(shape.maxBatchSize, 64) + shape.maxWaitMs, priority).to.be.at.most(targets[priority] * 1.03);
    }
  });

  it('sizes for the most urgent priority waiting', async () => {
    const policy = await policyIn(cacheDir);
    const random = seededRandom(5);
    train(policy, new CostCurveDevice(CPU_LIKE, random), random, 100);

    const mixed = policy.next({ queuedTexts: 10, byPriority: queued('critical', 'background') });
    const backgroundOnly = policy.next({ queuedTexts: 10, byPriority: queued('background') });

    expect(mixed.maxBatchSize).to.be.below(backgroundOnly.maxBatchSize);
  });

  it('halves its row ceiling after a failed batch and recovers it over successes', async () => {
    const policy = await policyIn(cacheDir, { latencyTargetMs: { normal: 100_000 } });
    const random = seededRandom(6);
    const device = new CostCurveDevice(CPU_LIKE, random);
    train(policy, device, random, 100);

    policy.record({ ...device.run(64, 128), ok: false });
    const afterFailure = policy.next({ queuedTexts: 10, byPriority: queued('normal') });
    train(policy, device, random, 40);
    const recovered = policy.next({ queuedTexts: 10, byPriority: queued('normal') });

    expect(afterFailure.maxBatchSize).to.equal(32);
    expect(recovered.maxBatchSize).to.equal(128);
  });

  it('reports its out-of-sample MAPE as a metric, below 5% on a learned curve', async () => {
    const metrics = new PredictiveMetrics();
    const policy = await policyIn(cacheDir, { errorWindow: 100 }, metrics);
    const random = seededRandom(8);
    train(policy, new CostCurveDevice(CPU_LIKE, random), random, 300);

    const text = await metrics.registry.metrics();
    const mape = Number(/^embedline_predictive_batch_latency_mape_ratio (\S+)$/m.exec(text)?.[1]);

    expect(mape).to.be.above(0).and.below(0.05);
    expect(text).to.match(/^embedline_predictive_batch_samples_total 300$/m);
    expect(text).to.match(/^embedline_predictive_batch_learning 0$/m);
  });

  it('saves what it learned atomically and starts from it next time', async () => {
    const first = await policyIn(cacheDir);
    const random = seededRandom(9);
    train(first, new CostCurveDevice(CPU_LIKE, random), random, 50);
    await first.flush();

    const second = await policyIn(cacheDir);

    expect(second.learning).to.equal(false);
    expect(second.predictMs(20, 80)).to.equal(first.predictMs(20, 80));
    expect(JSON.parse(await readFile(adaptiveStatePath(cacheDir, 'predictive-batch-size.json'), 'utf8'))).to.include({ version: 1 });
  });

  it('warns about an invalid state file and starts fresh from the static shape', async () => {
    const path = adaptiveStatePath(cacheDir, 'predictive-batch-size.json');
    await mkdir(join(cacheDir, 'adaptive'), { recursive: true });
    await writeFile(path, JSON.stringify({ version: 1, model: { weights: [1, 2], covariance: [], samples: 3 }, referenceLength: 10 }));
    const warned = once(process, 'warning');

    const policy = await policyIn(cacheDir);
    const [warning] = (await warned) as [Error];

    expect(warning.message).to.contain(path).and.to.contain('model.weights');
    expect(policy.learning).to.equal(true);
  });
});
