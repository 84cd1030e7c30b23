import { expect } from 'chai';
import { DeleteBatcher, type DeleteOutcome } from '../../../../../adapters/sqs/worker/DeleteBatcher.js';
import type { WorkerMetrics } from '../../../../../adapters/sqs/worker/WorkerMetrics.js';
import { InMemorySqsClient } from '../../../../doubles/InMemorySqsClient.js';
import { ManualClock, settle } from '../../../../doubles/ManualClock.js';
import { counterValue, QUEUE_URL, received, recordingLog, workerMetrics } from './support.js';

const FLUSH_MS = 50;

describe('DeleteBatcher', () => {
  let sqs: InMemorySqsClient;
  let clock: ManualClock;
  let metrics: WorkerMetrics;
  let log: ReturnType<typeof recordingLog>;
  let deletes: DeleteBatcher;

  beforeEach(() => {
    sqs = new InMemorySqsClient();
    clock = new ManualClock();
    metrics = workerMetrics();
    log = recordingLog();
    // Retries without backoff: what is retried matters here, not when.
    deletes = new DeleteBatcher(sqs.client, QUEUE_URL, FLUSH_MS, { attempts: 3, baseMs: 0 }, log, metrics, clock);
  });

  const handlesOf = (call: Record<string, unknown>): string[] => (call.Entries as { ReceiptHandle: string }[]).map((e) => e.ReceiptHandle);

  it('sends ten per DeleteMessageBatch at once, and the rest flushMs after the first of them', async () => {
    const outcomes = Array.from({ length: 25 }, (_, i) => deletes.delete(received(i)));
    await settle();

    expect(sqs.inputsOf('DeleteMessageBatch').map((c) => c.Entries.length), 'two full batches at once').to.deep.equal([10, 10]);
    await clock.advance(FLUSH_MS - 1);
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(2);
    await clock.advance(1);

    const calls = sqs.inputsOf('DeleteMessageBatch');
    expect(calls.map((c) => c.QueueUrl)).to.deep.equal([QUEUE_URL, QUEUE_URL, QUEUE_URL]);
    expect(calls.flatMap((c) => handlesOf(c))).to.deep.equal(Array.from({ length: 25 }, (_, i) => `receipt-${i}`));
    expect(calls[2]!.Entries.map((e: { Id: string }) => e.Id)).to.deep.equal(['0', '1', '2', '3', '4']);
    expect(new Set(await Promise.all(outcomes))).to.deep.equal(new Set<DeleteOutcome>(['deleted']));
  });

  it('sends a lone delete only when flushMs has passed', async () => {
    const outcome = deletes.delete(received(1));

    await clock.advance(FLUSH_MS - 1);
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(0);
    await clock.advance(1);

    expect(sqs.inputsOf('DeleteMessageBatch').map(handlesOf)).to.deep.equal([['receipt-1']]);
    expect(await outcome).to.equal('deleted');
  });

  it('retries only the entries that failed transiently, in the next batch', async () => {
    sqs.answerNext('DeleteMessageBatch', () => ({ Successful: [{ Id: '0' }, { Id: '2' }], Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] }));
    const outcomes = [1, 2, 3].map((n) => deletes.delete(received(n)));

    await clock.advance(FLUSH_MS);
    expect(await outcomes[0]).to.equal('deleted');
    expect(await outcomes[2]).to.equal('deleted');
    await clock.advance(FLUSH_MS);

    expect(sqs.inputsOf('DeleteMessageBatch').map(handlesOf)).to.deep.equal([['receipt-1', 'receipt-2', 'receipt-3'], ['receipt-2']]);
    expect(await outcomes[1]).to.equal('deleted');
  });

  it('gives up on an entry after retry.attempts tries and reports it failed', async () => {
    for (let i = 0; i < 3; i++) sqs.answerNext('DeleteMessageBatch', () => ({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] }));
    const outcome = deletes.delete(received(7));

    for (let i = 0; i < 3; i++) await clock.advance(FLUSH_MS);

    expect(await outcome).to.equal('failed');
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(3);
    expect(log.lines.filter((l) => l.event === 'sqs.delete_failed').map((l) => l.messageId)).to.deep.equal(['m-7']);
  });

  it('does not retry an entry the queue refused as the sender\'s fault', async () => {
    sqs.answerNext('DeleteMessageBatch', () => ({ Failed: [{ Id: '0', Code: 'InvalidParameterValue.Other', SenderFault: true }] }));
    const outcome = deletes.delete(received(1));

    await clock.advance(FLUSH_MS * 3);

    expect(await outcome).to.equal('failed');
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(1);
  });

  it('reports a receipt delivered again elsewhere as stale, without retrying, and counts the lost ownership', async () => {
    sqs.answerNext('DeleteMessageBatch', () => ({ Failed: [{ Id: '0', Code: 'ReceiptHandleIsInvalid', SenderFault: true }] }));
    const outcome = deletes.delete(received(1));

    await clock.advance(FLUSH_MS * 3);

    expect(await outcome).to.equal('stale');
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(1);
    expect(await counterValue(metrics.lostOwnership)).to.equal(1);
  });

  it('retries the whole call after a transient error, and fails every entry after an error that retrying cannot fix', async () => {
    sqs.answerNext('DeleteMessageBatch', () => {
      throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    });
    const retried = deletes.delete(received(1));
    await clock.advance(FLUSH_MS);
    expect(await retried).to.equal('deleted');
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(2);

    sqs.answerNext('DeleteMessageBatch', () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    });
    const denied = [2, 3].map((n) => deletes.delete(received(n)));
    await clock.advance(FLUSH_MS);

    expect(await Promise.all(denied)).to.deep.equal(['failed', 'failed']);
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(3);
    expect(await counterValue(metrics.sqsErrors, { operation: 'delete' }), 'the throttled attempt and the denied call').to.equal(2);
  });

  it('flush sends what waits without waiting for the timer, retries included, and resolves when every call has returned', async () => {
    sqs.answerNext('DeleteMessageBatch', () => ({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] }));
    const outcome = deletes.delete(received(1));

    await deletes.flush();

    expect(sqs.inputsOf('DeleteMessageBatch').map(handlesOf)).to.deep.equal([['receipt-1'], ['receipt-1']]);
    expect(await outcome).to.equal('deleted');
    expect(clock.pending, 'no timer left behind').to.equal(0);
  });
});
