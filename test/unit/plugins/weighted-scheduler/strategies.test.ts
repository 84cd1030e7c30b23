import { expect } from 'chai';
import type { DeviceLoad } from '../../../../plugins/weighted-scheduler/strategies/DevicePicker.js';
import { EarliestCompletionPicker } from '../../../../plugins/weighted-scheduler/strategies/EarliestCompletionPicker.js';
import { RoundRobinPicker } from '../../../../plugins/weighted-scheduler/strategies/RoundRobinPicker.js';

function device(id: string, tokensPerSecond: number, queuedTokens = 0): DeviceLoad & { queuedTokens: number } {
  return { id, tokensPerSecond, queuedTokens };
}

/** Assigns batches without any finishing, as a burst would, and counts tokens per device. */
function assignBurst(picker: { pick: EarliestCompletionPicker['pick'] }, devices: ReturnType<typeof device>[], batches: number, tokens: number): Map<string, number> {
  for (let i = 0; i < batches; i++) picker.pick(devices, tokens).queuedTokens += tokens;
  return new Map(devices.map((d) => [d.id, d.queuedTokens]));
}

describe('EarliestCompletionPicker', () => {
  it('sends a batch to the faster of two idle devices', () => {
    const chosen = new EarliestCompletionPicker().pick([device('slow', 1000), device('fast', 3000)], 500);

    expect(chosen.id).to.equal('fast');
  });

  it('passes over a fast device whose backlog would finish later than a slow idle one', () => {
    const chosen = new EarliestCompletionPicker().pick([device('slow', 1000), device('fast', 3000, 9000)], 500);

    expect(chosen.id).to.equal('slow');
  });

  it('splits a burst in proportion to speed', () => {
    const shares = assignBurst(new EarliestCompletionPicker(), [device('slow', 1000), device('fast', 3000)], 400, 100);

    expect(shares.get('fast')! / (shares.get('fast')! + shares.get('slow')!)).to.be.closeTo(0.75, 0.01);
  });
});

describe('RoundRobinPicker', () => {
  it('takes devices in turn whatever their speed', () => {
    const picker = new RoundRobinPicker();
    const devices = [device('a', 1000), device('b', 9000), device('c', 5000)];

    expect(Array.from({ length: 6 }, () => picker.pick(devices).id)).to.deep.equal(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('splits a burst evenly', () => {
    const shares = assignBurst(new RoundRobinPicker(), [device('slow', 1000), device('fast', 3000)], 400, 100);

    expect(shares.get('fast')).to.equal(shares.get('slow'));
  });
});
