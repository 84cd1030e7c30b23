import { expect } from 'chai';
import { mayWaitFor, SingleFlight } from '../../../../plugins/cache/SingleFlight.js';

const CRITICAL = 0;
const NORMAL = 1;
const BACKGROUND = 2;

describe('cache SingleFlight', () => {
  it('lets the first request lead a key and the second one wait for its value', async () => {
    const flights = new SingleFlight<string>();

    const first = flights.lead('k', 'r1', NORMAL);
    const second = flights.lead('k', 'r2', NORMAL);
    const waited = flights.get('k')!.result;
    flights.finish('k', 'vector');

    expect([first, second]).to.deep.equal([true, false]);
    expect(await waited).to.equal('vector');
    expect(flights.size).to.equal(0);
  });

  it('hands waiters undefined when the leader abandons, so they compute the text themselves', async () => {
    const flights = new SingleFlight<string>();
    flights.lead('a', 'r1', NORMAL);
    flights.lead('b', 'r1', NORMAL);
    const waits = [flights.get('a')!.result, flights.get('b')!.result];

    flights.abandon('r1');

    expect(await Promise.all(waits)).to.deep.equal([undefined, undefined]);
    expect(flights.leadsAny('r1')).to.equal(false);
  });

  it('marks only the committing owner’s flights committed', () => {
    const flights = new SingleFlight<string>();
    flights.lead('a', 'r1', NORMAL);
    flights.lead('b', 'r2', NORMAL);

    flights.commit('r1');

    expect(flights.get('a')!.committed).to.equal(true);
    expect(flights.get('b')!.committed).to.equal(false);
  });

  it('lets a key be led again once its flight finished', () => {
    const flights = new SingleFlight<string>();
    flights.lead('k', 'r1', NORMAL);
    flights.finish('k', 'v');

    expect(flights.lead('k', 'r2', NORMAL)).to.equal(true);
  });
});

describe('cache mayWaitFor', () => {
  const flight = (rank: number, committed: boolean) => ({ owner: 'leader', rank, committed, result: Promise.resolve(undefined) });

  it('lets a request that leads nothing wait for an uncommitted leader of its priority', () => {
    expect(mayWaitFor(flight(NORMAL, false), NORMAL, false)).to.equal(true);
  });

  it('does not let a request that leads other keys wait for an uncommitted leader (the two could wait on each other)', () => {
    expect(mayWaitFor(flight(NORMAL, false), NORMAL, true)).to.equal(false);
  });

  it('lets a request that leads other keys wait for a committed leader', () => {
    expect(mayWaitFor(flight(NORMAL, true), NORMAL, true)).to.equal(true);
  });

  it('does not let a critical request wait for a background leader', () => {
    expect(mayWaitFor(flight(BACKGROUND, true), CRITICAL, false)).to.equal(false);
  });

  it('lets a background request wait for a critical leader', () => {
    expect(mayWaitFor(flight(CRITICAL, true), BACKGROUND, false)).to.equal(true);
  });
});
