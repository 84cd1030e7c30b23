import { expect } from 'chai';
import { planShape } from '../../../../plugins/predictive-batch-size/ShapePlanner.js';
import { CostCurveDevice, CPU_LIKE, seededRandom } from './costCurveDevice.js';

const limits = { maxBatchSizeLimit: 256, maxWaitLimitMs: 20, waitShare: 0.25 };

/** Brute force over the true curve: the rows with the best rows·len/ms within the inference budget. */
function trueOptimum(device: CostCurveDevice, seqLen: number, inferenceBudgetMs: number): number {
  let best = 1;
  for (let rows = 1; rows <= limits.maxBatchSizeLimit; rows++) {
    if (device.trueMs(rows, seqLen) > inferenceBudgetMs) break;
    if ((rows * seqLen) / device.trueMs(rows, seqLen) > (best * seqLen) / device.trueMs(best, seqLen)) best = rows;
  }
  return best;
}

describe('predictive-batch-size planShape', () => {
  const device = new CostCurveDevice(CPU_LIKE, seededRandom(1), 0);
  const predict = (rows: number, len: number): number => device.trueMs(rows, len);

  it('picks the throughput-optimal size that keeps predicted inference within the target', () => {
    const shape = planShape(predict, 64, 60, limits);

    expect(shape.maxBatchSize).to.equal(trueOptimum(device, 64, 45));
    expect(device.trueMs(shape.maxBatchSize, 64)).to.be.at.most(45);
  });

  it('stays within the size limit when the target is loose', () => {
    expect(planShape(predict, 64, 100_000, limits).maxBatchSize).to.equal(limits.maxBatchSizeLimit);
  });

  it('gives a tighter target a smaller batch', () => {
    const tight = planShape(predict, 128, 20, limits);
    const loose = planShape(predict, 128, 400, limits);

    expect(tight.maxBatchSize).to.be.below(loose.maxBatchSize);
  });

  it('waits only as long as the target leaves after the predicted inference, capped', () => {
    const shape = planShape(predict, 64, 30, limits);

    expect(shape.maxWaitMs).to.be.closeTo(Math.min(20, 30 - device.trueMs(shape.maxBatchSize, 64)), 1e-9);
    expect(shape.maxBatchTokens).to.equal(shape.maxBatchSize * 64);
  });

  it('sends single texts when even one row would miss the target', () => {
    expect(planShape(predict, 256, 0.5, limits)).to.include({ maxBatchSize: 1, maxWaitMs: 0 });
  });
});
