import { expect } from 'chai';
import { EmbedlineError } from '../../../../../core/errors.js';
import type { EmbedOptions, EmbedResult } from '../../../../../core/pipeline/types.js';
import type { EmbeddingResult, MessageFailure, ResultSink, SinkReceipt } from '../../../../../core/ports/ResultSink.js';
import { MessageProcessor } from '../../../../../adapters/sqs/MessageProcessor.js';
import { SqsWorker } from '../../../../../adapters/sqs/worker/SqsWorker.js';
import { VisibilityHeartbeat } from '../../../../../adapters/sqs/worker/VisibilityHeartbeat.js';
import { WorkerMetrics } from '../../../../../adapters/sqs/worker/WorkerMetrics.js';
import type { WorkerSettings } from '../../../../../adapters/sqs/worker/WorkerSettings.js';
import { InMemorySqsClient } from '../../../../doubles/InMemorySqsClient.js';
import { ManualClock, settle } from '../../../../doubles/ManualClock.js';
import { QUEUE_URL, recordingLog } from './support.js';

const SETTINGS: WorkerSettings = {
  messageTimeoutMs: 600_000,
  queueUrl: QUEUE_URL,
  waitTimeSeconds: 20,
  visibilityTimeoutSec: 30,
  heartbeatIntervalMs: 10_000,
  maxInFlightMessages: 10,
  maxInFlightTexts: 100,
  pollers: 1,
  deleteFlushMs: 50,
  retry: { attempts: 2, baseMs: 0 },
  failureBackoffBaseSec: 2,
  failureBackoffMaxSec: 60,
  invalidMessageVisibilitySec: 1,
  shutdownGraceMs: 28_000,
};

/** Pipeline double: a vector [text length] per text; `hold` makes it wait until the test releases it. */
class PipelineDouble {
  readonly calls: { texts: readonly string[]; options: EmbedOptions }[] = [];
  hold = false;
  failWith: Error | undefined;
  private readonly gates: (() => void)[] = [];

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    this.calls.push({ texts, options });
    if (this.hold) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.failWith) throw this.failWith;
    return { vectors: texts.map((t) => ({ values: Float32Array.from([t.length]) })), promptTokens: texts.length, sources: texts.map(() => 'computed'), attributes: new Map() } as unknown as EmbedResult;
  }

  releaseAll(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

/** Sink double that keeps what it was given. */
class MemorySink implements ResultSink {
  readonly kind = 'memory';
  readonly written: EmbeddingResult[] = [];
  readonly failures: MessageFailure[] = [];
  async write(result: EmbeddingResult): Promise<SinkReceipt> {
    this.written.push(result);
    return { location: `memory://${result.id}` };
  }
  async recordFailure(failure: MessageFailure): Promise<void> {
    this.failures.push(failure);
  }
  async close(): Promise<void> {}
}

const body = (id: string, texts: string[]): string => JSON.stringify({ v: 1, id, texts });

/**
 * Waits for something the worker does between SQS calls (a sink write, an embed call). Every
 * step it takes here is a promise continuation, so checking after each turn of the immediate
 * queue is exact: no clock is involved.
 */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await settle();
}

describe('SqsWorker (on an in-memory queue)', () => {
  let sqs: InMemorySqsClient;
  let clock: ManualClock;
  let pipeline: PipelineDouble;
  let sink: MemorySink;
  let worker: SqsWorker;
  let stopped: boolean;

  beforeEach(() => {
    sqs = new InMemorySqsClient();
    clock = new ManualClock();
    pipeline = new PipelineDouble();
    sink = new MemorySink();
    const log = recordingLog();
    const heartbeat = new VisibilityHeartbeat(sqs.client, QUEUE_URL, SETTINGS.visibilityTimeoutSec, SETTINGS.heartbeatIntervalMs, log, clock);
    const metrics = new WorkerMetrics(heartbeat);
    heartbeat.attach(metrics);
    const limits = { maxTextsPerMessage: 8, maxTextChars: 1000, maxMessageBytes: 65_536, model: 'all-MiniLM-L6-v2', defaultPriority: 'normal' as const };
    const processor = new MessageProcessor({ pipeline, sink, limits, sinkRetry: SETTINGS.retry, log });
    worker = new SqsWorker({ sqs: sqs.client, settings: SETTINGS, processor, heartbeat, metrics, log, clock });
    stopped = false;
  });

  afterEach(async () => {
    if (stopped) return;
    pipeline.releaseAll();
    const stopping = worker.stop(1000);
    sqs.endLongPolls();
    await stopping;
  });

  async function stop(drainMs: number): Promise<{ inFlightAtStop: number; abandoned: number }> {
    stopped = true;
    const stopping = worker.stop(drainMs);
    sqs.endLongPolls();
    return stopping;
  }

  const deleted = (): string[] => sqs.inputsOf('DeleteMessageBatch').flatMap((c) => c.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle));
  const visibilityChanges = (): { ReceiptHandle: string; VisibilityTimeout: number }[] =>
    sqs.inputsOf('ChangeMessageVisibility').map((c) => ({ ReceiptHandle: c.ReceiptHandle, VisibilityTimeout: c.VisibilityTimeout }));

  it('long-polls for as many messages as it has room for, with the attributes it needs', async () => {
    worker.start();
    await sqs.untilCalls('ReceiveMessage', 1);

    expect(sqs.inputsOf('ReceiveMessage')[0]).to.deep.equal({
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 30,
      MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      MessageAttributeNames: ['priority', 'traceparent', 'tracestate'],
    });
  });

  it('embeds each message\'s texts, stores the result under its id, then deletes all three in one batched call', async () => {
    const receipts = ['a', 'b', 'c'].map((id) => sqs.enqueue(body(id, [`text of ${id}`, 'second'])));
    worker.start();

    await until(() => sink.written.length === 3);
    await settle();
    expect(deleted(), 'not before deleteFlushMs').to.deep.equal([]);
    await clock.advance(SETTINGS.deleteFlushMs);

    expect(sink.written.map((r) => [r.id, r.vectors.map((v) => v[0])])).to.deep.equal([['a', [9, 6]], ['b', [9, 6]], ['c', [9, 6]]]);
    expect(pipeline.calls.map((c) => [c.options.requestId, c.options.priority])).to.deep.equal([['a', 'normal'], ['b', 'normal'], ['c', 'normal']]);
    expect(sqs.inputsOf('DeleteMessageBatch')).to.have.length(1);
    expect(deleted()).to.deep.equal(receipts);
    expect(visibilityChanges()).to.deep.equal([]);
  });

  it('never embeds or deletes a poison message: it records why and makes it visible again after invalidMessageVisibilitySec', async () => {
    const poison = sqs.enqueue('{"v":1,"id":"broken","texts":["unterminated');
    worker.start();

    await sqs.untilCalls('ChangeMessageVisibility', 1);
    await clock.advance(SETTINGS.deleteFlushMs * 2);

    expect(visibilityChanges()).to.deep.equal([{ ReceiptHandle: poison, VisibilityTimeout: SETTINGS.invalidMessageVisibilitySec }]);
    expect(sink.failures.map((f) => [f.reason, f.retryable])).to.deep.equal([['malformed_json', false]]);
    expect(pipeline.calls).to.have.length(0);
    expect(deleted()).to.deep.equal([]);
  });

  it('fails a poison message alone: its good neighbours in the same receive are stored and deleted', async () => {
    const good1 = sqs.enqueue(body('good-1', ['fine']));
    const poison = sqs.enqueue(JSON.stringify({ v: 1, id: 'too-many', texts: Array.from({ length: 9 }, () => 'x') }));
    const good2 = sqs.enqueue(body('good-2', ['also fine']));
    worker.start();

    await until(() => sink.written.length === 2 && visibilityChanges().length === 1);
    await clock.advance(SETTINGS.deleteFlushMs);

    expect(deleted()).to.deep.equal([good1, good2]);
    expect(visibilityChanges()).to.deep.equal([{ ReceiptHandle: poison, VisibilityTimeout: SETTINGS.invalidMessageVisibilitySec }]);
    expect(sink.failures.map((f) => f.reason)).to.deep.equal(['too_many_texts']);
  });

  it('gives a retryable failure back with a visibility that doubles with each receive', async () => {
    pipeline.failWith = new EmbedlineError('EMBEDLINE_OVERLOADED', 'The queue is full.', { retryAfterSeconds: 1 });
    const third = sqs.enqueue(body('busy', ['text']), { receiveCount: 3 });
    worker.start();

    await sqs.untilCalls('ChangeMessageVisibility', 1);

    // failureBackoffBaseSec × 2^(receiveCount − 1) = 2 × 4.
    expect(visibilityChanges()).to.deep.equal([{ ReceiptHandle: third, VisibilityTimeout: 8 }]);
    expect(sink.failures.map((f) => [f.reason, f.code, f.retryable, f.receiveCount])).to.deep.equal([['embed_failed', 'EMBEDLINE_OVERLOADED', true, 3]]);
    expect(deleted()).to.deep.equal([]);
  });

  it('stop finishes and deletes what it holds before resolving, and reports it held one', async () => {
    pipeline.hold = true;
    const receipt = sqs.enqueue(body('slow', ['text']));
    worker.start();
    await until(() => pipeline.calls.length === 1);

    const stopping = stop(60_000);
    await settle();
    expect(deleted(), 'still embedding').to.deep.equal([]);
    pipeline.releaseAll();
    await clock.advance(SETTINGS.deleteFlushMs);

    expect(await stopping).to.deep.equal({ inFlightAtStop: 1, abandoned: 0 });
    expect(deleted()).to.deep.equal([receipt]);
    expect(sink.written.map((r) => r.id)).to.deep.equal(['slow']);
  });

  it('when the drain time runs out, makes what it still holds visible again at once and reports it abandoned', async () => {
    pipeline.hold = true;
    const receipt = sqs.enqueue(body('stuck', ['text']));
    worker.start();
    await until(() => pipeline.calls.length === 1);

    const report = await stop(0);

    expect(report).to.deep.equal({ inFlightAtStop: 1, abandoned: 1 });
    expect(visibilityChanges()).to.deep.equal([{ ReceiptHandle: receipt, VisibilityTimeout: 0 }]);
    expect(deleted()).to.deep.equal([]);
  });

  it('makes visible again at once, without embedding, what a long poll brings after stop began', async () => {
    worker.start();
    await sqs.untilCalls('ReceiveMessage', 1);

    stopped = true;
    const stopping = worker.stop(60_000);
    const late = sqs.enqueue(body('late', ['text']));
    const report = await stopping;

    expect(report).to.deep.equal({ inFlightAtStop: 0, abandoned: 0 });
    expect(visibilityChanges()).to.deep.equal([{ ReceiptHandle: late, VisibilityTimeout: 0 }]);
    expect(pipeline.calls).to.have.length(0);
  });
});
