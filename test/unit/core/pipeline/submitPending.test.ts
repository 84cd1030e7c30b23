import { expect } from 'chai';
import { configSchema } from '../../../../core/config/schema.js';
import { EmbedlineError } from '../../../../core/errors.js';
import type { Batcher } from '../../../../core/ports/Batcher.js';
import { EmbedContext } from '../../../../core/pipeline/EmbedContext.js';
import { QueueBatcher } from '../../../../core/pipeline/QueueBatcher.js';
import { StaticBatchSizePolicy } from '../../../../core/pipeline/StaticBatchSizePolicy.js';
import { submitPending } from '../../../../core/pipeline/submitPending.js';
import type { WorkItem } from '../../../../core/pipeline/types.js';
import { GatedScheduler } from '../../../doubles/GatedScheduler.js';

/** A context whose texts are tokenized to `lengths` ids each (id = text index), none settled yet. */
function contextWith(lengths: readonly number[], signal: AbortSignal = new AbortController().signal): EmbedContext {
  const ctx = new EmbedContext('req-1', lengths.map((_, i) => `text ${i}`), 'critical', 'int8', 1_000, 61_000, signal, undefined);
  lengths.forEach((length, i) => (ctx.tokenIds[i] = new Int32Array(length).fill(i)));
  return ctx;
}

/** Records what it is given and leaves answering to the test. */
class RecordingBatcher implements Batcher {
  readonly submitted: WorkItem[] = [];
  queuedTexts = 0;
  inFlightBatches = 0;
  refuseWith: Error | undefined;
  submit(items: readonly WorkItem[]): void {
    if (this.refuseWith) throw this.refuseWith;
    this.submitted.push(...items);
  }
  answer(item: WorkItem): void {
    item.resolve(Float32Array.from([item.ids[0]!, item.ids.length]), { batchId: 1, size: 1, seqLen: item.ids.length, device: 'recording', queueWaitMs: 0, inferMs: 0 });
  }
  async drain(): Promise<void> {}
}

/** The real batcher on a gated device: one worker, one text per batch, so two batches run at once and the rest queue. */
function gatedBatcher(scheduler: GatedScheduler): QueueBatcher {
  const config = configSchema.parse({ batching: { maxWaitMs: 0, maxBatchSize: 1 }, encoder: { workers: 1 } });
  return new QueueBatcher(new StaticBatchSizePolicy(config), scheduler, [], config);
}

/** Lets every pending promise continuation run (nothing here waits on a timer). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

async function rejection(work: Promise<unknown>): Promise<EmbedlineError> {
  const error = await work.then(() => expect.fail('expected a rejection'), (e: unknown) => e);
  expect(error).to.be.instanceOf(EmbedlineError);
  return error as EmbedlineError;
}

describe('submitPending', () => {
  it('queues only the unsettled texts, shortest first, carrying the request\'s priority, variant, deadline and id', async () => {
    const batcher = new RecordingBatcher();
    const ctx = contextWith([5, 2, 9, 3]);
    ctx.settle(3, Float32Array.from([7, 7]), 'cache');

    const done = submitPending(ctx, batcher);

    expect(batcher.submitted.map((i) => i.ids[0])).to.deep.equal([1, 0, 2]);
    for (const item of batcher.submitted) {
      expect(item).to.deep.include({ priority: 'critical', variant: 'int8', deadline: 61_000, requestId: 'req-1' });
      expect(item.isCancelled()).to.equal(false);
    }
    batcher.submitted.forEach((item) => batcher.answer(item));
    await done;
  });

  it('settles each text with its own vector as computed, leaving a stage\'s vector alone', async () => {
    const batcher = new RecordingBatcher();
    const ctx = contextWith([5, 2, 9]);
    ctx.settle(2, Float32Array.from([7, 7]), 'cache');

    const done = submitPending(ctx, batcher);
    // Answer out of order: each vector still lands on its own text.
    [...batcher.submitted].reverse().forEach((item) => batcher.answer(item));
    await done;

    expect(ctx.vectors.map((v) => Array.from(v!))).to.deep.equal([[0, 5], [1, 2], [7, 7]]);
    expect([0, 1, 2].map((i) => ctx.sourceOf(i))).to.deep.equal(['computed', 'computed', 'cache']);
  });

  it('submits nothing when every text is already settled', async () => {
    const batcher = new RecordingBatcher();
    const ctx = contextWith([3]);
    ctx.settle(0, Float32Array.from([1, 1]), 'cache');

    await submitPending(ctx, batcher);

    expect(batcher.submitted).to.have.length(0);
  });

  it('fails with EMBEDLINE_CANCELLED and submits nothing when the signal aborted before it was called', async () => {
    const batcher = new RecordingBatcher();
    const controller = new AbortController();
    controller.abort();

    const error = await rejection(submitPending(contextWith([3, 4], controller.signal), batcher));

    expect(error.code).to.equal('EMBEDLINE_CANCELLED');
    expect(batcher.submitted).to.have.length(0);
  });

  it('fails with the signal\'s own EmbedlineError (the timeout) when the deadline passes while texts wait', async () => {
    const batcher = new RecordingBatcher();
    const controller = new AbortController();
    const timeout = new EmbedlineError('EMBEDLINE_TIMEOUT', 'The request did not finish within its 20 ms timeout.', { timeoutMs: 20 });
    const done = submitPending(contextWith([3, 4], controller.signal), batcher);

    controller.abort(timeout);

    expect(await rejection(done)).to.equal(timeout);
    expect(batcher.submitted.map((i) => i.isCancelled())).to.deep.equal([true, true]);
  });

  it('on abort with texts running and queued: fails EMBEDLINE_CANCELLED, and the queued ones never reach the device', async () => {
    const scheduler = new GatedScheduler();
    const batcher = gatedBatcher(scheduler);
    const controller = new AbortController();
    const done = submitPending(contextWith([1, 2, 3, 4, 5], controller.signal), batcher);
    expect(scheduler.received.map((b) => b.rows[0]![0]), 'two running').to.deep.equal([0, 1]);
    expect(batcher.queuedTexts, 'three queued').to.equal(3);

    controller.abort();
    const error = await rejection(done);
    scheduler.releaseAll();
    await settle();
    await batcher.drain();

    expect(error.code).to.equal('EMBEDLINE_CANCELLED');
    expect(scheduler.received.map((b) => b.rows[0]![0]), 'nothing after the abort').to.deep.equal([0, 1]);
    expect(batcher.queuedTexts).to.equal(0);
  });

  it('fails with the batcher\'s refusal, unchanged', async () => {
    const batcher = new RecordingBatcher();
    batcher.refuseWith = new EmbedlineError('EMBEDLINE_OVERLOADED', 'The queue is full.', { retryAfterSeconds: 1 });

    const error = await rejection(submitPending(contextWith([3]), batcher));

    expect(error).to.equal(batcher.refuseWith);
  });

  it('fails as soon as one text fails, and marks the request\'s other texts cancelled', async () => {
    const batcher = new RecordingBatcher();
    const done = submitPending(contextWith([2, 3, 4]), batcher);
    const failure = new EmbedlineError('EMBEDLINE_INFERENCE', 'the device failed');

    batcher.answer(batcher.submitted[0]!);
    batcher.submitted[1]!.reject(failure);

    expect(await rejection(done)).to.equal(failure);
    expect(batcher.submitted[2]!.isCancelled()).to.equal(true);
  });

  it('queues texts with the same token ids once and settles each of them with its own copy of the vector', async () => {
    const batcher = new RecordingBatcher();
    const ctx = contextWith([3, 2, 3]);
    ctx.tokenIds[2] = Int32Array.from(ctx.tokenIds[0]!); // text 2 tokenizes exactly like text 0

    const done = submitPending(ctx, batcher);
    expect(batcher.submitted.map((i) => Array.from(i.ids))).to.deep.equal([[1, 1], [0, 0, 0]]);
    batcher.submitted.forEach((item) => batcher.answer(item));
    await done;

    expect(ctx.vectors.map((v) => Array.from(v!))).to.deep.equal([[0, 3], [1, 2], [0, 3]]);
    expect(ctx.vectors[2]).to.not.equal(ctx.vectors[0]);
    expect([0, 1, 2].map((i) => ctx.sourceOf(i))).to.deep.equal(['computed', 'computed', 'computed']);
  });

  it('refuses with EMBEDLINE_INTERNAL a pending text that was never tokenized', async () => {
    const ctx = contextWith([3, 3]);
    ctx.tokenIds[1] = undefined;

    const error = await rejection(submitPending(ctx, new RecordingBatcher()));

    expect(error.code).to.equal('EMBEDLINE_INTERNAL');
    expect(error.message).to.contain('text 1');
  });
});
