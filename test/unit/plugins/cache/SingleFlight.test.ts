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
    expect(flights.size).to.equal(0);
  });

  it('abandons only the given owner’s flights', () => {
    const flights = new SingleFlight<string>();
    flights.lead('a', 'r1', NORMAL);
    flights.lead('b', 'r2', NORMAL);

    flights.abandon('r1');

    expect(flights.get('a')).to.equal(undefined);
    expect(flights.get('b')?.owner).to.equal('r2');
  });

  it('lets a key be led again once its flight finished', () => {
    const flights = new SingleFlight<string>();
    flights.lead('k', 'r1', NORMAL);
    flights.finish('k', 'v');

    expect(flights.lead('k', 'r2', NORMAL)).to.equal(true);
  });
});

describe('cache mayWaitFor', () => {
  const flight = (rank: number) => ({ owner: 'leader', rank, result: Promise.resolve(undefined) });

  it('lets a request wait for a leader of its own priority', () => {
    expect(mayWaitFor(flight(NORMAL), NORMAL)).to.equal(true);
  });

  it('does not let a critical request wait for a background leader', () => {
    expect(mayWaitFor(flight(BACKGROUND), CRITICAL)).to.equal(false);
  });

  it('lets a background request wait for a critical leader', () => {
    expect(mayWaitFor(flight(CRITICAL), BACKGROUND)).to.equal(true);
  });
});
