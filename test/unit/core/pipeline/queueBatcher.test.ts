import { expect } from 'chai';
import { EmbedlineError } from '../../../../core/errors.js';
import { QueueBatcher } from '../../../../core/pipeline/QueueBatcher.js';
import { configSchema } from '../../../../core/config/schema.js';
import { StaticBatchSizePolicy } from '../../../../core/pipeline/StaticBatchSizePolicy.js';
import { GatedScheduler } from '../../../doubles/GatedScheduler.js';
import { workItem } from '../../../fixtures/workItem.js';

function batcherWith(scheduler: GatedScheduler, batching: Record<string, number | boolean>, workers = 1): QueueBatcher {
  const config = configSchema.parse({ batching: { maxWaitMs: 0, ...batching }, encoder: { workers } });
  return new QueueBatcher(new StaticBatchSizePolicy(config), scheduler, [], config);
}

/**
 * Runs every pending promise continuation. The batcher dispatches synchronously inside submit
 * and, after a gate opens, in promise continuations only; these tests leave it no timer to wait
 * for (maxWaitMs 0, or a wait far longer than the test). So once the immediate queue runs, the
 * batcher has done all it will do: no sleeping, no guessing how long is enough.
 */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('QueueBatcher', () => {
  it('serves waiting critical texts before normal and background ones', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 1 });
    batcher.submit([workItem(0)]);
    await tick();
    batcher.submit([workItem(1, { priority: 'background' }), workItem(2, { priority: 'normal' }), workItem(3, { priority: 'critical' })]);

    for (let i = 0; i < 4; i++) {
      scheduler.releaseOne();
      await tick();
    }

    expect(scheduler.received.map((b) => b.rows[0]![0])).to.deep.equal([0, 3, 2, 1]);
  });

  it('lets a starving background text through after starvationLimit critical batches', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 1, starvationLimit: 2 });
    batcher.submit([workItem(100, { priority: 'background' }), ...Array.from({ length: 5 }, (_, i) => workItem(i, { priority: 'critical' }))]);

    for (let i = 0; i < 6; i++) {
      await tick();
      scheduler.releaseOne();
    }
    await tick();

    // One worker: two batches in flight (critical 0 and 1, the background text passed over twice),
    // so the first slot that frees goes to the starving background text.
    const order = scheduler.received.map((b) => b.rows[0]![0]);
    expect(order).to.deep.equal([0, 1, 100, 2, 3, 4]);
  });

  it('refuses work beyond maxQueuedTexts with EMBEDLINE_OVERLOADED and accepts none of it', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 1, maxQueuedTexts: 2 });
    batcher.submit([workItem(0)]);
    await tick();
    batcher.submit([workItem(1), workItem(2)]);

    let error: unknown;
    try {
      batcher.submit([workItem(3), workItem(4)]);
    } catch (e) {
      error = e;
    }

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_OVERLOADED');
    expect(batcher.queuedTexts).to.equal(1);
  });

  it('refuses a request that would wait past its maxQueueDelayMs once throughput is measured, and still takes a critical one', async () => {
    const scheduler = new GatedScheduler();
    const config = configSchema.parse({ batching: { maxWaitMs: 0, maxBatchSize: 1, maxQueueDelayMs: { normal: 1, critical: 60_000 } }, encoder: { workers: 1 } });
    const batcher = new QueueBatcher(new StaticBatchSizePolicy(config), scheduler, [], config);
    // 4 tokens in 50 ms: 80 tokens/s, so the 4 tokens of item 1 in flight mean a 50 ms wait.
    scheduler.inferMs = 50;
    batcher.submit([workItem(0)]);
    await tick();
    scheduler.releaseOne();
    await tick();
    batcher.submit([workItem(1)]);

    let error: unknown;
    try {
      batcher.submit(Array.from({ length: 10 }, (_, i) => workItem(10 + i, { length: 64 })));
    } catch (e) {
      error = e;
    }

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_OVERLOADED');
    expect((error as EmbedlineError).context).to.include({ priority: 'normal', maxQueueDelayMs: 1, retryAfterSeconds: 1 });
    expect((error as EmbedlineError).context.expectedWaitMs).to.be.at.least(50);
    expect(() => batcher.submit([workItem(2, { priority: 'critical' })])).not.to.throw();
    scheduler.releaseAll();
  });

  it('admit refuses from the work already queued, before the texts have tokens, and queues nothing', async () => {
    const scheduler = new GatedScheduler();
    const config = configSchema.parse({ batching: { maxWaitMs: 0, maxBatchSize: 1, maxQueuedTexts: 3, maxQueueDelayMs: { normal: 1 } }, encoder: { workers: 1 } });
    const batcher = new QueueBatcher(new StaticBatchSizePolicy(config), scheduler, [], config);
    // Before any batch is measured there is no estimate: only the text cap applies.
    expect(() => batcher.admit('normal', 3, 30_000)).not.to.throw();
    expect(() => batcher.admit('normal', 4, 30_000)).to.throw(EmbedlineError, 'takes at most 3');
    scheduler.inferMs = 50; // 4 tokens in 50 ms: 80 tokens/s
    batcher.submit([workItem(0)]);
    await tick();
    scheduler.releaseOne();
    await tick();
    batcher.submit([workItem(1)]); // 4 tokens running: a 50 ms wait for what comes next

    let error: unknown;
    try {
      batcher.admit('normal', 1, 30_000);
    } catch (e) {
      error = e;
    }

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_OVERLOADED');
    expect((error as EmbedlineError).context).to.include({ priority: 'normal', expectedWaitMs: 50, maxQueueDelayMs: 1 });
    expect(batcher.queuedTexts).to.equal(0);
    expect(batcher.inFlightBatches).to.equal(1);
    scheduler.releaseAll();
  });

  it('without a configured delay, refuses at submit what would not finish before its deadline, its own tokens included', async () => {
    const scheduler = new GatedScheduler();
    const config = configSchema.parse({ batching: { maxWaitMs: 0, maxBatchSize: 1 }, encoder: { workers: 1 } });
    const batcher = new QueueBatcher(new StaticBatchSizePolicy(config), scheduler, [], config);
    scheduler.inferMs = 1000; // 4 tokens in 1 s: 4 tokens/s
    batcher.submit([workItem(0)]);
    await tick();
    scheduler.releaseOne();
    await tick();
    batcher.submit([workItem(1, { length: 8 })]); // 8 tokens running: 2 s of work ahead
    const withDeadline = (tag: number, length: number, remainingMs: number) => ({ ...workItem(tag, { length }), deadline: Date.now() + remainingMs });

    // 2 s ahead + 4 s of its own = 6 s: admitted with 60 s left, refused with 5 s left (its queue wait alone, 2 s, would pass).
    expect(() => batcher.admit('normal', 1, 5000)).not.to.throw();
    expect(() => batcher.submit([withDeadline(2, 16, 5000)])).to.throw(EmbedlineError, "the request's remaining timeout");
    expect(() => batcher.submit([withDeadline(3, 16, 60_000)])).not.to.throw();
    scheduler.releaseAll();
  });

  it('keeps rows × longest row within the token budget when forming a batch', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 64, maxBatchTokens: 40 }, 4);

    batcher.submit(Array.from({ length: 10 }, (_, i) => workItem(i, { length: 10 })));
    await tick();

    expect(scheduler.received.map((b) => b.rows.length)).to.deep.equal([4, 4, 2]);
  });

  it('stops growing a batch before padding would pass maxPaddingRatio', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 64, maxPaddingRatio: 0.05 }, 4);
    const lengths = [10, 10, 10, 11, 30, 31, 200];

    batcher.submit(lengths.map((length, i) => workItem(i, { length })));
    await tick();

    // Adding the 11 to three 10s pads 3 of 44 positions (6.8%); 30 and 31 pad 1 of 62 (1.6%).
    const batches = scheduler.received.map((b) => b.rows.map((r) => r.length));
    expect(batches).to.deep.equal([[10, 10, 10], [11], [30, 31], [200]]);
  });

  it('with maxPaddingRatio 1 fills the batch regardless of padding', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 64, maxPaddingRatio: 1 }, 4);

    batcher.submit([10, 10, 10, 11, 30, 31, 200].map((length, i) => workItem(i, { length })));
    await tick();

    expect(scheduler.received.map((b) => b.rows.length)).to.deep.equal([7]);
  });

  it('sends the oldest text first even when no other text is near its length', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 64, maxPaddingRatio: 0.05 });

    batcher.submit([workItem(1, { length: 120 }), ...Array.from({ length: 20 }, (_, i) => workItem(10 + i, { length: 8 }))]);
    await tick();

    expect(scheduler.received[0]!.rows.map((r) => r.length)).to.deep.equal([120]);
  });

  it('sends a lone text at once while a worker is idle, and lets texts wait for company while none is', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxWaitMs: 10_000, maxBatchSize: 16 }, 1);

    batcher.submit([workItem(1)]);
    await tick();
    batcher.submit([workItem(2)]);
    await tick();

    expect(scheduler.received.map((b) => b.rows.length), 'only the first went; the second waits').to.deep.equal([1]);
    batcher.submit([workItem(3)]);
    scheduler.releaseOne();
    await tick();
    expect(scheduler.received.map((b) => b.rows.length), 'the worker is idle again: both waiting texts go together').to.deep.equal([1, 2]);
    scheduler.releaseAll();
  });

  it('with dispatchWhenIdle off, waits maxWaitMs for company even with every worker idle', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxWaitMs: 10_000, maxBatchSize: 16, dispatchWhenIdle: false }, 1);

    batcher.submit([workItem(1)]);
    await tick();

    expect(scheduler.received).to.have.length(0);
    batcher.submit(Array.from({ length: 15 }, (_, i) => workItem(10 + i)));
    await tick();
    expect(scheduler.received.map((b) => b.rows.length), 'a full batch goes without waiting').to.deep.equal([16]);
    scheduler.releaseAll();
  });

  it('skips cancelled texts instead of running them', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 8 });

    batcher.submit([workItem(1), workItem(2, { cancelled: () => true }), workItem(3)]);
    await tick();

    expect(scheduler.received[0]!.rows.map((r) => r[0])).to.deep.equal([1, 3]);
  });

  it('splits a failing batch so only the poisonous text fails', async () => {
    const scheduler = new GatedScheduler();
    scheduler.failWhen = (batch) => batch.rows.some((r) => r[0] === 13);
    const batcher = batcherWith(scheduler, { maxBatchSize: 8 }, 4);
    const items = [1, 13, 2, 3].map((tag) => workItem(tag));

    batcher.submit(items);
    for (let i = 0; i < 10; i++) {
      await tick();
      scheduler.releaseAll();
    }

    const outcomes = await Promise.allSettled(items.map((i) => i.outcome));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('fails the whole batch at once, without splitting, when the device cannot start', async () => {
    const scheduler = new GatedScheduler();
    scheduler.failWhen = () => true;
    scheduler.failure = () => new EmbedlineError('EMBEDLINE_DEVICE_UNAVAILABLE', 'no CUDA here');
    const batcher = batcherWith(scheduler, { maxBatchSize: 8 }, 4);
    const items = [1, 2, 3, 4].map((tag) => workItem(tag));

    batcher.submit(items);
    for (let i = 0; i < 4; i++) {
      await tick();
      scheduler.releaseAll();
    }

    const outcomes = await Promise.allSettled(items.map((i) => i.outcome));
    expect(scheduler.received, 'one attempt, no halves').to.have.length(1);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as EmbedlineError).code : o.status))).to.deep.equal(Array(4).fill('EMBEDLINE_DEVICE_UNAVAILABLE'));
  });

  it('drains: resolves once everything accepted has finished', async () => {
    const scheduler = new GatedScheduler();
    const batcher = batcherWith(scheduler, { maxBatchSize: 2 });
    const items = [workItem(1), workItem(2), workItem(3)];
    batcher.submit(items);
    let drained = false;
    const drain = batcher.drain().then(() => (drained = true));

    await tick();
    expect(drained).to.equal(false);
    for (let i = 0; i < 4; i++) {
      scheduler.releaseAll();
      await tick();
    }
    await drain;

    expect(drained).to.equal(true);
  });
});
