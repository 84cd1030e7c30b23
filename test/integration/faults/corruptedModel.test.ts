import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs } from '../sqs/helpers/localQueue.js';
import { runCorruptedModel } from './scenarios/corruptedModel.js';
import { FAULT_MAX_RECEIVE_COUNT } from './support/queueRun.js';

describe('faults: a model file corrupted on disk', function () {
  this.timeout(240_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let root: string;

  before(async () => {
    [mq, root] = await Promise.all([sharedElasticMq({ queues: ['fault-model'], maxReceiveCount: FAULT_MAX_RECEIVE_COUNT, visibilityTimeoutSec: 5 }), mkdtemp(join(tmpdir(), 'embedline-fault-model-'))]);
    sqs = localSqs(mq);
  });
  after(async () => {
    sqs?.destroy();
    await Promise.all([mq?.stop(), root && rm(root, { recursive: true, force: true })]);
  });

  it('worker and serve refuse to start with EMBEDLINE_MODEL_INTEGRITY before taking work; the queued messages wait and a healthy worker finishes them', async () => {
    const run = await runCorruptedModel(root, sqs, mq.endpoint, 'fault-model', 10);
    expect(run.worker).to.deep.include({ typedError: true });
    expect(run.worker.code).to.not.equal(0);
    expect(run.serve).to.deep.include({ typedError: true });
    expect(run.serve.code).to.not.equal(0);
    expect(run.queuedAfterRefusal, 'the refused worker received nothing').to.deep.equal({ visible: 10, inFlight: 0 });
    expect(run.tally).to.include({ accepted: 10, completed: 10, lost: 0, duplicated: 0, retried: 0 });
  });
});
