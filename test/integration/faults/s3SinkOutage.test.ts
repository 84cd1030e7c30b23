import { expect } from 'chai';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ElasticMq } from '../../support/elasticmq.js';
import { startS3Server, type LocalS3 } from '../../support/s3Server.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs } from '../sqs/helpers/localQueue.js';
import { runS3SinkOutage } from './scenarios/s3SinkOutage.js';
import { FAULT_MAX_RECEIVE_COUNT } from './support/queueRun.js';

describe('faults: the S3 sink (moto) stopped mid-run and restarted', function () {
  this.timeout(300_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let s3: LocalS3;

  before(async () => {
    [mq, s3] = await Promise.all([sharedElasticMq({ queues: ['fault-s3'], maxReceiveCount: FAULT_MAX_RECEIVE_COUNT, visibilityTimeoutSec: 5 }), startS3Server()]);
    sqs = localSqs(mq);
  });
  after(async () => {
    sqs?.destroy();
    await Promise.all([mq?.stop(), s3?.stop()]);
  });

  it('keeps every message whose result could not be written; they return and are stored once S3 is back; nothing lost', async () => {
    const run = await runS3SinkOutage(s3, sqs, mq.endpoint, 'fault-s3', 80);
    expect(run.storedBeforeStop).to.be.greaterThan(0);
    expect(run.notYetStoredAtStop, 'messages were still to be stored when S3 went down').to.be.greaterThan(0);
    expect(run.failuresDuringOutage).to.be.greaterThan(0);
    expect(run.queuedDuringOutage, 'nothing unstored was deleted').to.be.at.least(run.notYetStoredAtStop);
    expect(run.workerExit).to.equal(0);
    expect(run.tally).to.include({ accepted: 80, completed: 80, lost: 0 });
    // At-least-once: a result is stored twice only when its first delete did not go through.
    expect(run.tally.duplicated).to.be.at.most(run.unconfirmedDeletes);
    expect(run.tally.retried).to.be.greaterThan(0);
    expect(run.tally.deadLettered).to.deep.equal({});
  });
});
