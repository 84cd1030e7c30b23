import { expect } from 'chai';
import { CapacityGate } from '../../../../adapters/sqs/CapacityGate.js';

describe('CapacityGate', () => {
  it('offers the free message slots while the text budget has room', () => {
    const gate = new CapacityGate(20, 100);

    gate.take(12);
    gate.addTexts(60);

    expect(gate.room).to.equal(8);
  });

  it('offers nothing once the text budget is spent, however many message slots are free', () => {
    const gate = new CapacityGate(20, 100);

    gate.take(1);
    gate.addTexts(100);

    expect(gate.room).to.equal(0);
  });

  it('wakes a waiting receiver when a message is released', async () => {
    const gate = new CapacityGate(1, 100);
    gate.take(1);
    let woke = false;
    const waiting = gate.waitForRoom().then(() => (woke = true));

    await new Promise((r) => setImmediate(r));
    expect(woke).to.equal(false);
    gate.release(1);
    await waiting;

    expect(woke).to.equal(true);
  });

  it('stops waiting when the signal aborts', async () => {
    const gate = new CapacityGate(1, 100);
    gate.take(1);
    const abort = new AbortController();
    const waiting = gate.waitForRoom(abort.signal);

    abort.abort();
    await waiting;

    expect(gate.room).to.equal(0);
  });
});
