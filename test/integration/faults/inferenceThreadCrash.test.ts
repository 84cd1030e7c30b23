import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs } from '../sqs/helpers/localQueue.js';
import { runHttpShutdown, runHttpThreadCrash } from './scenarios/httpDuringFaults.js';
import { runInferenceThreadCrashOnQueue } from './scenarios/inferenceThreadCrash.js';
import { FAULT_MAX_RECEIVE_COUNT } from './support/queueRun.js';

describe('faults: an inference thread crashing mid-batch, and the HTTP side of faults', function () {
  this.timeout(300_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let root: string;

  before(async () => {
    [mq, root] = await Promise.all([sharedElasticMq({ queues: ['fault-thread-crash'], maxReceiveCount: FAULT_MAX_RECEIVE_COUNT, visibilityTimeoutSec: 5 }), mkdtemp(join(tmpdir(), 'embedline-fault-crash-'))]);
    sqs = localSqs(mq);
  });
  after(async () => {
    sqs?.destroy();
    await Promise.all([mq?.stop(), root && rm(root, { recursive: true, force: true })]);
  });

  it('SQS worker: the pool restarts the thread, only the crashed batch fails and runs again, every message is stored', async () => {
    const run = await runInferenceThreadCrashOnQueue(root, sqs, mq.endpoint, 'fault-thread-crash', 60, 1);
    expect(run.failedBatches, 'the crashed batch and no other').to.equal(1);
    expect(run.workerExit).to.equal(0);
    expect(run.tally).to.include({ accepted: 60, completed: 60, lost: 0, duplicated: 0 });
    expect(run.tally.retried, 'at most the messages of the crashed batch were delivered again').to.be.at.most(1);
    expect(run.tally.deadLettered).to.deep.equal({});
  });

  it('HTTP: every request in flight gets its vectors or a typed error, none hangs, and the server serves normally afterwards', async () => {
    const run = await runHttpThreadCrash(root, 6, 1);
    expect(run.outcomes.filter((o) => o.hung || o.status === 0), 'no hang, no dropped connection').to.deep.equal([]);
    for (const o of run.outcomes) {
      if (o.status === 200) expect(o.vectors).to.equal(o.inputs);
      else expect(o.code, `a ${o.status} names its error`).to.match(/^EMBEDLINE_/);
    }
    expect(run.tally.lost).to.equal(0);
    expect(run.after.map((o) => o.status)).to.deep.equal([200, 200, 200, 200]);
  });

  it('HTTP: SIGTERM under load drains what was accepted: every answered request has its vectors or a typed 503 with Retry-After, and the server exits by itself', async () => {
    const run = await runHttpShutdown(6);
    // 0 once drained (kept-alive sockets are closed with their last response); 1 only if http.shutdownGraceMs (30 s) ran out first, which a machine at load 30 can do.
    expect(run.serverExit, 'it exited by itself').to.be.oneOf([0, 1]);
    expect(run.tally.lost, JSON.stringify(run.outcomes.filter((o) => o.status !== 200))).to.equal(0);
    for (const o of run.outcomes) if (o.status !== 200) expect([o.status, o.retryAfter !== null]).to.deep.equal([503, true]);
  });
});
