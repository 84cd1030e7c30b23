import { expect } from 'chai';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs } from '../sqs/helpers/localQueue.js';
import { runFileSinkOutage } from './scenarios/fileSinkOutage.js';
import { FAULT_MAX_RECEIVE_COUNT } from './support/queueRun.js';
import { mountTinyFilesystem, type TinyFilesystem } from './support/tinyFilesystem.js';

describe('faults: the file sink read-only or full, then recovering', function () {
  this.timeout(240_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let fs: TinyFilesystem | undefined;

  before(async function () {
    const mounted = await mountTinyFilesystem(4);
    // CI runs as root and can mount; elsewhere the kernel is the only thing that can refuse root a write.
    if ('unavailable' in mounted) return this.skip();
    fs = mounted;
    mq = await sharedElasticMq({ queues: ['fault-file-ro', 'fault-file-full'], maxReceiveCount: FAULT_MAX_RECEIVE_COUNT, visibilityTimeoutSec: 5 });
    sqs = localSqs(mq);
  });

  after(async () => {
    sqs?.destroy();
    await mq?.stop();
    await fs?.unmount();
  });

  for (const [fault, queue, errno] of [['read-only', 'fault-file-ro', 'EROFS'], ['full', 'fault-file-full', 'ENOSPC']] as const) {
    it(`${fault}: deletes nothing while results cannot be written, stores every result once it recovers, loses nothing`, async () => {
      const run = await runFileSinkOutage(fault, fs!, sqs, mq.endpoint, queue, 12);
      expect(run.queuedDuringOutage, 'every message still in the queue during the outage').to.equal(12);
      expect(run.errorSeen).to.include(errno);
      expect(run.workerExit, 'the worker survived and drained').to.equal(0);
      expect(run.tally).to.include({ accepted: 12, completed: 12, lost: 0, duplicated: 0 });
      expect(run.tally.retried, 'every message failed at least once').to.equal(12);
      expect(run.tally.deadLettered).to.deep.equal({});
    });
  }
});
