import { expect } from 'chai';
import { capacityClass } from '../../../../plugins/memory-pool/capacityClass.js';

describe('capacityClass', () => {
  it('rounds a cell count up to the next step of a quarter octave', () => {
    expect([1000, 1024, 1025, 1100, 1536, 1537, 2048].map((n) => capacityClass(n, 4, 256))).to.deep.equal([1024, 1024, 1280, 1280, 1536, 1792, 2048]);
  });

  it('puts every batch below the minimum into the minimum class', () => {
    expect([0, 1, 64, 256].map((n) => capacityClass(n, 4, 256))).to.deep.equal([256, 256, 256, 256]);
  });

  it('never returns less than asked for, nor more than one step over', () => {
    for (let cells = 1; cells < 20_000; cells += 37) {
      const capacity = capacityClass(cells, 4, 1);

      expect(capacity).to.be.at.least(cells);
      expect((capacity - cells) / cells).to.be.at.most(0.25);
    }
  });

  it('rejects a negative or fractional cell count with a RangeError', () => {
    expect(() => capacityClass(-1, 4, 256)).to.throw(RangeError);
    expect(() => capacityClass(1.5, 4, 256)).to.throw(RangeError);
  });
});
