import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import type { BatchShape } from '../../../../core/ports/BatchSizePolicy.js';
import { predictiveBatchSizeConfigSchema } from '../../../../plugins/predictive-batch-size/config.js';
import { createPredictivePolicy } from '../../../../plugins/predictive-batch-size/index.js';
import { PredictiveMetrics } from '../../../../plugins/predictive-batch-size/PredictiveMetrics.js';
import type { PredictiveBatchSizePolicy } from '../../../../plugins/predictive-batch-size/PredictiveBatchSizePolicy.js';
import { CostCurveDevice, CPU_LIKE, seededRandom } from './costCurveDevice.js';

const TARGET_MS = 150;
/** The planner keeps a quarter of the target for waiting (waitShare 0.25). */
const INFERENCE_BUDGET_MS = TARGET_MS * 0.75;

/** A busy normal queue of texts of `length` tokens, as the batcher reports it. */
const busyQueue = (length: number, withTokens = true) => ({
  queuedTexts: 500,
  byPriority: {
    critical: { depth: 0, oldestWaitMs: 0, tokens: 0 },
    normal: { depth: 500, oldestWaitMs: 2, ...(withTokens ? { tokens: 500 * length } : {}) },
    background: { depth: 0, oldestWaitMs: 0, tokens: 0 },
  },
});

/**
 * The closed loop on the fake device: the policy picks a shape for the queue, the batch takes as
 * many texts of about `length` tokens as that shape allows, the device runs it, the policy hears.
 */
function serve(policy: PredictiveBatchSizePolicy, device: CostCurveDevice, random: () => number, batches: number, length: number, withTokens = true): void {
  for (let i = 0; i < batches; i++) {
    const shape = policy.next(busyQueue(length, withTokens));
    const seqLen = length + Math.floor(random() * length * 0.1);
    const rows = Math.max(1, Math.min(shape.maxBatchSize, Math.floor(shape.maxBatchTokens / seqLen)));
    policy.record(device.run(rows, seqLen));
  }
}

/** Rows a shape actually puts in a batch of `length`-token texts. */
const rowsAt = (shape: BatchShape, length: number): number => Math.max(1, Math.min(shape.maxBatchSize, Math.floor(shape.maxBatchTokens / length)));

/** The most rows of `length` whose true time fits the inference budget: the right answer. */
function bestRows(device: CostCurveDevice, length: number): number {
  let rows = 1;
  while (rows < 128 && device.trueMs(rows + 1, length) <= INFERENCE_BUDGET_MS) rows++;
  return rows;
}

async function policyIn(cacheDir: string, options: Record<string, unknown>, metrics = new PredictiveMetrics()): Promise<PredictiveBatchSizePolicy> {
  return createPredictivePolicy(predictiveBatchSizeConfigSchema.parse({ latencyTargetMs: { normal: TARGET_MS }, ...options }), configSchema.parse({ cacheDir }), metrics);
}

describe('predictive-batch-size after the load shifts', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'embedline-predictive-shift-'));
  });

  it('re-sizes within 40 batches after the device slows to a third: the shift detector reopens the model', async () => {
    const metrics = new PredictiveMetrics();
    const policy = await policyIn(cacheDir, {}, metrics);
    const random = seededRandom(21);
    const device = new CostCurveDevice(CPU_LIKE, random);
    serve(policy, device, random, 600, 64);
    const before = rowsAt(policy.next(busyQueue(64)), 64);

    device.slowdown = 3;
    serve(policy, device, random, 40, 64);
    const after = rowsAt(policy.next(busyQueue(64)), 64);
    const text = await metrics.registry.metrics();

    expect(before).to.be.within(bestRows(new CostCurveDevice(CPU_LIKE, random), 64) - 3, 128);
    // Within the target on the slowed device, and not needlessly small.
    expect(device.trueMs(after, 64)).to.be.at.most(INFERENCE_BUDGET_MS * 1.05);
    expect(after).to.be.at.least(Math.floor(bestRows(device, 64) * 0.85));
    expect(text).to.match(/^embedline_predictive_batch_shifts_total 1$/m);
  });

  it('without forgetting or shift detection the same slowdown is still mis-sized 40 batches later (what the detector fixes)', async () => {
    const policy = await policyIn(cacheDir, { forgetting: 1, shiftDetection: { enabled: false } });
    const random = seededRandom(21);
    const device = new CostCurveDevice(CPU_LIKE, random);
    serve(policy, device, random, 600, 64);

    device.slowdown = 3;
    serve(policy, device, random, 40, 64);
    const after = rowsAt(policy.next(busyQueue(64)), 64);

    expect(device.trueMs(after, 64)).to.be.above(INFERENCE_BUDGET_MS * 1.3);
  });

  it('never counts a few slow batches among fast ones as a shift', async () => {
    const metrics = new PredictiveMetrics();
    const policy = await policyIn(cacheDir, {}, metrics);
    const random = seededRandom(22);
    const device = new CostCurveDevice(CPU_LIKE, random);
    serve(policy, device, random, 300, 64);
    for (let i = 0; i < 20; i++) {
      // Every fourth batch three times slower (a GC pause, a noisy neighbour), the rest normal.
      device.slowdown = i % 4 === 0 ? 3 : 1;
      serve(policy, device, random, 1, 64);
    }

    expect(await metrics.registry.metrics()).to.match(/^embedline_predictive_batch_shifts_total 0$/m);
  });

  it('sizes for texts four times longer from the queue\'s lengths: within the target from the first batch, near the best from the second', async () => {
    const policy = await policyIn(cacheDir, {});
    const random = seededRandom(23);
    const device = new CostCurveDevice(CPU_LIKE, random);
    serve(policy, device, random, 400, 32);

    const first = rowsAt(policy.next(busyQueue(128)), 128);
    serve(policy, device, random, 1, 128);
    const second = rowsAt(policy.next(busyQueue(128)), 128);
    serve(policy, device, random, 10, 128);
    const later = rowsAt(policy.next(busyQueue(128)), 128);

    // Lengths 32-35 alone barely pin the len² term, so the first guess errs on the safe side.
    expect(device.trueMs(first, 128)).to.be.at.most(INFERENCE_BUDGET_MS * 1.05);
    for (const rows of [second, later]) {
      expect(device.trueMs(rows, 128)).to.be.at.most(INFERENCE_BUDGET_MS * 1.05);
      expect(rows).to.be.at.least(Math.floor(bestRows(device, 128) * 0.85));
    }
  });

  it('without the queue\'s lengths (a batcher that does not report them) it follows long texts within 60 batches', async () => {
    const policy = await policyIn(cacheDir, {});
    const random = seededRandom(24);
    const device = new CostCurveDevice(CPU_LIKE, random);
    serve(policy, device, random, 400, 32, false);

    serve(policy, device, random, 60, 128, false);
    const after = rowsAt(policy.next(busyQueue(128, false)), 128);

    expect(device.trueMs(after, 128)).to.be.at.most(INFERENCE_BUDGET_MS * 1.1);
  });
});
