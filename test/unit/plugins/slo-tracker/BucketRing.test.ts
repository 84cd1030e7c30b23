import { expect } from 'chai';
import { BucketRing } from '../../../../plugins/slo-tracker/BucketRing.js';

const MINUTE = 60_000;

describe('BucketRing', () => {
  it('sums events in the current and earlier slots of the window', () => {
    const ring = new BucketRing(MINUTE, 10, 2);
    ring.add(0, 0);
    ring.add(MINUTE, 0);
    ring.add(MINUTE + 5, 1, 3);

    expect(Array.from(ring.sum(2 * MINUTE, 3))).to.deep.equal([2, 3]);
  });

  it('drops a slot from a window once the window has moved past it', () => {
    const ring = new BucketRing(MINUTE, 10, 1);
    ring.add(30_000, 0);

    expect(ring.sum(5 * MINUTE - 1, 5)[0]).to.equal(1);
    expect(ring.sum(5 * MINUTE, 5)[0]).to.equal(0);
  });

  it('clears a slot reused after a full turn of the ring instead of adding to old counts', () => {
    const ring = new BucketRing(MINUTE, 4, 1);
    ring.add(0, 0, 7);
    ring.add(4 * MINUTE, 0, 1);

    expect(ring.sum(4 * MINUTE, 4)[0]).to.equal(1);
  });

  it('reads slots not written for a whole turn as empty', () => {
    const ring = new BucketRing(MINUTE, 4, 1);
    ring.add(0, 0, 7);

    expect(ring.sum(9 * MINUTE, 4)[0]).to.equal(0);
  });

  it('caps a window longer than the ring at the ring', () => {
    const ring = new BucketRing(MINUTE, 3, 1);
    for (let m = 0; m < 6; m++) ring.add(m * MINUTE, 0);

    expect(ring.sum(5 * MINUTE, 100)[0]).to.equal(3);
  });
});
