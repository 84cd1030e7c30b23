import { expect } from 'chai';
import { VisibilityHeartbeat } from '../../../../../adapters/sqs/worker/VisibilityHeartbeat.js';
import type { WorkerMetrics } from '../../../../../adapters/sqs/worker/WorkerMetrics.js';
import { InMemorySqsClient } from '../../../../doubles/InMemorySqsClient.js';
import { ManualClock } from '../../../../doubles/ManualClock.js';
import { counterValue, QUEUE_URL, received, recordingLog, workerMetrics } from './support.js';

const VISIBILITY_SEC = 30;
/** Extensions every 3 s; the heartbeat looks for due messages every 750 ms (a quarter of that). */
const INTERVAL_MS = 3000;

describe('VisibilityHeartbeat', () => {
  let sqs: InMemorySqsClient;
  let clock: ManualClock;
  let metrics: WorkerMetrics;
  let heartbeat: VisibilityHeartbeat;

  beforeEach(() => {
    sqs = new InMemorySqsClient();
    clock = new ManualClock();
    metrics = workerMetrics();
    heartbeat = new VisibilityHeartbeat(sqs.client, QUEUE_URL, VISIBILITY_SEC, INTERVAL_MS, recordingLog(), clock);
    heartbeat.attach(metrics);
    heartbeat.start();
  });

  afterEach(() => heartbeat.stop());

  const extensions = (): { ReceiptHandle: string; VisibilityTimeout: number }[][] => sqs.inputsOf('ChangeMessageVisibilityBatch').map((c) => c.Entries.map((e: { ReceiptHandle: string; VisibilityTimeout: number }) => ({ ReceiptHandle: e.ReceiptHandle, VisibilityTimeout: e.VisibilityTimeout })));

  it('resets a held message\'s visibility to visibilitySec once it has been held intervalMs, not before', async () => {
    heartbeat.hold(received(1));

    await clock.advance(INTERVAL_MS - 750);
    expect(extensions(), 'at 2,250 ms').to.deep.equal([]);
    await clock.advance(750);

    expect(extensions(), 'at 3,000 ms').to.deep.equal([[{ ReceiptHandle: 'receipt-1', VisibilityTimeout: VISIBILITY_SEC }]]);
    expect(sqs.inputsOf('ChangeMessageVisibilityBatch')[0]!.QueueUrl).to.equal(QUEUE_URL);
  });

  it('extends again one interval after the last extension, not at every check', async () => {
    heartbeat.hold(received(1));

    await clock.advance(INTERVAL_MS * 2 - 750);
    expect(extensions()).to.have.length(1);
    await clock.advance(750);

    expect(extensions()).to.have.length(2);
  });

  it('extends each message on its own schedule, from when it was received', async () => {
    heartbeat.hold(received(1));
    await clock.advance(1500);
    heartbeat.hold(received(2));

    await clock.advance(1500);
    expect(extensions().map((batch) => batch.map((e) => e.ReceiptHandle)), 'at 3,000 ms').to.deep.equal([['receipt-1']]);
    await clock.advance(1500);

    expect(extensions().map((batch) => batch.map((e) => e.ReceiptHandle)), 'at 4,500 ms').to.deep.equal([['receipt-1'], ['receipt-2']]);
  });

  it('extends ten messages per ChangeMessageVisibilityBatch call', async () => {
    for (let i = 0; i < 25; i++) heartbeat.hold(received(i));

    await clock.advance(INTERVAL_MS);

    expect(extensions().map((batch) => batch.length)).to.deep.equal([10, 10, 5]);
    expect(sqs.inputsOf('ChangeMessageVisibilityBatch')[2]!.Entries.map((e: { Id: string }) => e.Id)).to.deep.equal(['0', '1', '2', '3', '4']);
  });

  it('stops extending a released message', async () => {
    const message = received(1);
    heartbeat.hold(message);
    heartbeat.hold(received(2));
    heartbeat.release(message);

    await clock.advance(INTERVAL_MS);

    expect(extensions().map((batch) => batch.map((e) => e.ReceiptHandle))).to.deep.equal([['receipt-2']]);
    expect(heartbeat.size).to.equal(1);
  });

  it('lets go of a message delivered again elsewhere (stale receipt) and counts it; retries a transient entry failure at the next check', async () => {
    sqs.answerNext('ChangeMessageVisibilityBatch', () => ({
      Successful: [],
      Failed: [
        { Id: '0', Code: 'MessageNotInflight', SenderFault: true },
        { Id: '1', Code: 'InternalError', SenderFault: false },
      ],
    }));
    heartbeat.hold(received(1));
    heartbeat.hold(received(2));

    await clock.advance(INTERVAL_MS);
    expect(heartbeat.size, 'the stale one is no longer held').to.equal(1);
    expect(await counterValue(metrics.lostOwnership)).to.equal(1);
    await clock.advance(750);

    expect(extensions().map((batch) => batch.map((e) => e.ReceiptHandle))).to.deep.equal([['receipt-1', 'receipt-2'], ['receipt-2']]);
  });

  it('counts a failed call and tries again at the next check', async () => {
    sqs.answerNext('ChangeMessageVisibilityBatch', () => {
      throw Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable' });
    });
    heartbeat.hold(received(1));

    await clock.advance(INTERVAL_MS);
    expect(await counterValue(metrics.sqsErrors, { operation: 'change_visibility' })).to.equal(1);
    await clock.advance(750);

    expect(sqs.inputsOf('ChangeMessageVisibilityBatch')).to.have.length(2);
    expect(heartbeat.size).to.equal(1);
  });

  it('makes no call after stop', async () => {
    heartbeat.hold(received(1));
    heartbeat.stop();

    await clock.advance(INTERVAL_MS * 3);

    expect(sqs.calls).to.deep.equal([]);
    expect(clock.pending).to.equal(0);
  });

  it('reports what it holds for the in-flight gauges', () => {
    heartbeat.hold({ ...received(1), sentAt: 5000 });
    heartbeat.hold({ ...received(2), sentAt: 2000 });

    expect(heartbeat.size).to.equal(2);
    expect(heartbeat.oldestSentAt()).to.equal(2000);
    expect([...heartbeat.messages()].map((m) => m.receiptHandle)).to.deep.equal(['receipt-1', 'receipt-2']);
  });
});
