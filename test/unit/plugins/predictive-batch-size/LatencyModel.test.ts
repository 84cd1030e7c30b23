import { expect } from 'chai';
import { LatencyModel } from '../../../../plugins/predictive-batch-size/LatencyModel.js';
import { CostCurveDevice, CPU_LIKE, randomShape, seededRandom } from './costCurveDevice.js';

function heldOutMape(model: LatencyModel, device: CostCurveDevice, random: () => number, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const { rows, seqLen } = randomShape(random);
    const observed = device.run(rows, seqLen).inferMs;
    sum += Math.abs(model.predict(rows, seqLen) - observed) / observed;
  }
  return sum / count;
}

describe('predictive-batch-size LatencyModel', () => {
  it('predicts held-out batch shapes within 5% MAPE after 200 noisy batches of a known cost curve', () => {
    const random = seededRandom(7);
    const device = new CostCurveDevice(CPU_LIKE, random);
    const model = new LatencyModel(0.999);

    for (let i = 0; i < 200; i++) {
      const { rows, seqLen } = randomShape(random);
      model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
    }

    expect(heldOutMape(model, device, seededRandom(99), 300)).to.be.below(0.05);
  });

  it('extrapolates from short texts to long ones, which the rows x len^2 term makes possible', () => {
    const random = seededRandom(11);
    const device = new CostCurveDevice(CPU_LIKE, random, 0);
    const model = new LatencyModel(1);

    for (let i = 0; i < 100; i++) {
      const { rows, seqLen } = randomShape(random, 64, 96);
      model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
    }

    expect(model.predict(16, 256)).to.be.closeTo(device.trueMs(16, 256), device.trueMs(16, 256) * 0.01);
  });

  it('follows a device that slows down to half speed, through its forgetting factor', () => {
    const random = seededRandom(3);
    const device = new CostCurveDevice(CPU_LIKE, random);
    const model = new LatencyModel(0.98);
    const train = (batches: number): void => {
      for (let i = 0; i < batches; i++) {
        const { rows, seqLen } = randomShape(random);
        model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
      }
    };
    train(200);

    device.slowdown = 2;
    train(200);

    expect(heldOutMape(model, device, seededRandom(5), 200)).to.be.below(0.05);
  });

  it('carries the same predictions through its saved state', () => {
    const random = seededRandom(1);
    const device = new CostCurveDevice(CPU_LIKE, random);
    const model = new LatencyModel(0.999);
    for (let i = 0; i < 50; i++) {
      const { rows, seqLen } = randomShape(random);
      model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
    }

    const restored = new LatencyModel(0.999, JSON.parse(JSON.stringify(model.state())));

    expect(restored.predict(24, 100)).to.equal(model.predict(24, 100));
    expect(restored.samples).to.equal(50);
  });

  it('stays sound after thousands of batches of one shape with forgetting on (no covariance windup)', () => {
    const random = seededRandom(12);
    const device = new CostCurveDevice(CPU_LIKE, random);
    const model = new LatencyModel(0.98);
    for (let i = 0; i < 100; i++) {
      const { rows, seqLen } = randomShape(random);
      model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
    }
    // An idle server: single short texts for hours. Unchecked, λ = 0.98 would grow the
    // unexcited directions of the covariance by 0.98^-3000 ≈ 1e26.
    for (let i = 0; i < 3000; i++) model.update(1, 16, device.run(1, 16).inferMs);
    for (let i = 0; i < 30; i++) {
      const { rows, seqLen } = randomShape(random);
      model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
    }

    expect(model.state().covariance.every(Number.isFinite)).to.equal(true);
    expect(heldOutMape(model, device, seededRandom(13), 200)).to.be.below(0.05);
  });

  it('re-learns a slowed device within 20 batches once reopened, starting from its old weights', () => {
    const random = seededRandom(14);
    const device = new CostCurveDevice(CPU_LIKE, random);
    const model = new LatencyModel(1);
    const train = (batches: number): void => {
      for (let i = 0; i < batches; i++) {
        const { rows, seqLen } = randomShape(random);
        model.update(rows, seqLen, device.run(rows, seqLen).inferMs);
      }
    };
    train(500);
    device.slowdown = 3;

    model.reopen();
    train(20);

    expect(heldOutMape(model, device, seededRandom(15), 200)).to.be.below(0.05);
  });
});
