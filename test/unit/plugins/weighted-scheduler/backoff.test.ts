import { expect } from 'chai';
import { Backoff } from '../../../../plugins/weighted-scheduler/Backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const backoff = new Backoff(1000, 5000);

    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).to.deep.equal([1000, 2000, 4000, 5000, 5000]);
  });

  it('starts again from the initial delay after a reset', () => {
    const backoff = new Backoff(1000, 5000);
    backoff.next();
    backoff.next();

    backoff.reset();

    expect(backoff.next()).to.equal(1000);
  });
});
