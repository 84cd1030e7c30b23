import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runElasticMqRestart } from './scenarios/elasticMqRestart.js';

describe('faults: ElasticMQ restarted mid-run', function () {
  this.timeout(300_000);
  let root: string;
  before(async () => (root = await mkdtemp(join(tmpdir(), 'embedline-fault-mq-'))));
  after(async () => rm(root, { recursive: true, force: true }));

  it('the worker keeps running and reconnects; held messages reappear and finish; nothing lost; every duplicate explained (at-least-once)', async () => {
    const run = await runElasticMqRestart(root, 60, 3_000);
    expect(run.heldAtStop, 'the worker held messages when the queue went down').to.be.greaterThan(0);
    expect(run.receiveErrors, 'it noticed the outage').to.be.greaterThan(0);
    expect(run.workerExit, 'no crash: it drained cleanly at the end').to.equal(0);
    expect(run.tally).to.include({ accepted: 60, completed: 60, lost: 0 });
    expect(run.tally.deadLettered).to.deep.equal({});
    // At-least-once, every duplicate explained: a message held when the queue went down (its
    // receipt handle died with the server), or one whose acknowledged delete ElasticMQ's
    // asynchronous persistence lost in the restart. A message first received afterwards never is.
    expect(run.duplicatesOfAcknowledgedDeletes + run.duplicatesOfHeld).to.equal(run.tally.duplicated);
    expect(run.duplicatesOfHeld, 'stored twice though not held at the stop').to.be.at.most(2 * run.heldAtStop);
  });
});
