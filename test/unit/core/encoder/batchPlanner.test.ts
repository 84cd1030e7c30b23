import { expect } from 'chai';
import { paddingFraction, planBatches } from '../../../../core/encoder/batchPlanner.js';

describe('planBatches', () => {
  it('puts every index in exactly one batch', () => {
    const lengths = Array.from({ length: 500 }, (_, i) => 3 + ((i * 37) % 250));

    const batches = planBatches(lengths, { maxBatchSize: 32, maxBatchTokens: 4096 });

    expect(batches.flat().sort((a, b) => a - b)).to.deep.equal(lengths.map((_, i) => i));
  });

  it('groups texts of similar length so padding stays under two percent on uniformly mixed lengths', () => {
    const lengths = Array.from({ length: 2000 }, (_, i) => 3 + ((i * 7919) % 254));

    const batches = planBatches(lengths, { maxBatchSize: 32, maxBatchTokens: 1 << 20 });

    const padded = batches.reduce((sum, b) => sum + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
    const real = lengths.reduce((a, b) => a + b, 0);
    expect(1 - real / padded).to.be.below(0.02);
  });

  it('keeps rows × longest row within the token budget', () => {
    const lengths = [10, 200, 30, 256, 256, 5, 100];

    const batches = planBatches(lengths, { maxBatchSize: 64, maxBatchTokens: 512 });

    for (const batch of batches) expect(batch.length * Math.max(...batch.map((i) => lengths[i]!))).to.be.at.most(512);
  });

  it('still emits a single row that alone exceeds the token budget', () => {
    const batches = planBatches([300], { maxBatchSize: 8, maxBatchTokens: 100 });

    expect(batches).to.deep.equal([[0]]);
  });

  it('cuts a run where the next longer text would push padding past maxPaddingRatio', () => {
    const lengths = [10, 10, 10, 11, 30, 31, 200];

    const batches = planBatches(lengths, { maxBatchSize: 64, maxBatchTokens: 1 << 20, maxPaddingRatio: 0.05 });

    // Three 10s plus the 11 would pad 3 of 44 cells (6.8%); 30 with 31 pads 1 of 62 (1.6%).
    expect(batches.map((b) => b.map((i) => lengths[i]))).to.deep.equal([[10, 10, 10], [11], [30, 31], [200]]);
    for (const batch of batches) expect(paddingFraction(batch.map((i) => lengths[i]!))).to.be.at.most(0.05);
  });

  it('caps rows per batch at maxBatchSize', () => {
    const batches = planBatches(new Array(10).fill(4), { maxBatchSize: 3, maxBatchTokens: 10_000 });

    expect(batches.map((b) => b.length)).to.deep.equal([3, 3, 3, 1]);
  });
});

describe('paddingFraction', () => {
  it('is zero for equal lengths and grows with spread', () => {
    expect(paddingFraction([8, 8, 8])).to.equal(0);
    expect(paddingFraction([2, 8])).to.be.closeTo(0.375, 1e-9);
  });
});
