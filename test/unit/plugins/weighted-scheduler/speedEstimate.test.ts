import { expect } from 'chai';
import { SpeedEstimate } from '../../../../plugins/weighted-scheduler/SpeedEstimate.js';

describe('SpeedEstimate', () => {
  it('has no speed until a probe or batch is recorded', () => {
    expect(new SpeedEstimate(0.3).tokensPerSecond).to.equal(undefined);
  });

  it('takes a seed as the speed outright', () => {
    const speed = new SpeedEstimate(0.3);
    speed.record(1000, 1000);

    speed.seed(4096, 200);

    expect(speed.tokensPerSecond).to.equal(20_480);
  });

  it('moves toward each new batch by the smoothing factor', () => {
    const speed = new SpeedEstimate(0.3);
    speed.seed(4096, 200);

    speed.record(4096, 100);

    expect(speed.tokensPerSecond).to.be.closeTo(0.3 * 40_960 + 0.7 * 20_480, 1e-6);
  });

  it('stays finite for a batch timed at zero milliseconds', () => {
    const speed = new SpeedEstimate(0.3);

    speed.seed(10, 0);

    expect(Number.isFinite(speed.tokensPerSecond)).to.equal(true);
  });
});
