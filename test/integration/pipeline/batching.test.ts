import { expect } from 'chai';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { EmbedlineError } from '../../../core/errors.js';
import { BATCHER } from '../../../core/ports/Batcher.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';
import { QueueWatcher } from './support/QueueWatcher.js';

/** A long text (about forty word pieces): 400 of them keep both workers busy for seconds. */
const BUSY_TEXT = 'a sentence of some forty word pieces, '.repeat(5);
/** Distinct texts: copies of one text inside a request are computed once, and would queue as one. */
const busyTexts = (n: number) => Array.from({ length: n }, (_, i) => `${i} ${BUSY_TEXT}`);

describe('pipeline batching on the real model', () => {
  let runtime: EmbedlineRuntime;
  let reference: Map<string, Float32Array>;
  const watcher = new QueueWatcher();

  before(async () => {
    // Admission by expected wait is off (a limit no queue here reaches): it depends on how fast a
    // loaded machine runs, and these tests are about what the batcher does with what it accepted.
    const noAdmissionLimit = { critical: 3_600_000, normal: 3_600_000, background: 3_600_000 };
    runtime = await startTestRuntime({ batching: { maxWaitMs: 5, maxBatchSize: 64, maxQueuedTexts: 50_000, maxQueueDelayMs: noAdmissionLimit } }, [observerModule(watcher)]);
    const texts = [...new Set(VARIED_SENTENCES)];
    reference = new Map();
    for (const text of texts) reference.set(text, (await runtime.pipeline.embed([text])).vectors[0]!.values);
  });

  after(async () => runtime?.close());

  it('gives each of 1,000 concurrent mixed-size requests exactly its own vectors, in order', async () => {
    const requests = Array.from({ length: 1000 }, (_, r) => Array.from({ length: 1 + (r % 5) }, (_, k) => VARIED_SENTENCES[(r * 7 + k * 13) % VARIED_SENTENCES.length]!));

    // All 1,000 are queued at once; the last waits for the whole backlog, so no per-request deadline here.
    const results = await Promise.all(requests.map((texts) => runtime.pipeline.embed(texts, { timeoutMs: 600_000 })));

    results.forEach((result, r) => {
      expect(result.vectors.length).to.equal(requests[r]!.length);
      result.vectors.forEach((v, k) => expect(maxAbsDiff(v.values, reference.get(requests[r]![k]!)!), `request ${r} text ${k}`).to.be.at.most(1e-5));
    });
  });

  it('coalesces concurrent single-text requests into one shared batch while it waits for company', async () => {
    // Its own runtime: no dispatch to an idle worker and a wait far longer than the test, so the
    // batch goes exactly when the 64th text arrives and fills it; no timing decides the outcome.
    const batchSizes: number[] = [];
    const waiting = await startTestRuntime({ batching: { maxWaitMs: 10_000, maxBatchSize: 64, maxPaddingRatio: 1, dispatchWhenIdle: false } }, [observerModule({ onBatch: (e) => batchSizes.push(e.size) })]);
    try {
      await Promise.all(Array.from({ length: 64 }, (_, i) => waiting.pipeline.embed([`sentence number ${i}`])));
    } finally {
      await waiting.close();
    }

    expect(batchSizes).to.deep.equal([64]);
  });

  it('counts prompt tokens including [CLS] and [SEP]', async () => {
    const result = await runtime.pipeline.embed(['hello world']);

    expect(result.promptTokens).to.equal(4);
  });

  it('fails a request whose deadline passes with EMBEDLINE_TIMEOUT and keeps serving others', async () => {
    // Enough work that texts are still queued behind the batches in flight; "late" is sent only
    // once they are, so it waits behind them instead of finding a worker idle.
    const backlog = watcher.untilQueueRisesBy(400);
    const busy = runtime.pipeline.embed(busyTexts(400), { timeoutMs: 300_000 });
    await backlog;

    const error = await runtime.pipeline.embed(['late'], { timeoutMs: 50 }).catch((e: unknown) => e);
    await busy;

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_TIMEOUT');
    expect((await runtime.pipeline.embed(['still fine'])).vectors).to.have.length(1);
  });

  it('fails a request cancelled while its texts are queued with EMBEDLINE_CANCELLED, and never runs them', async () => {
    const batcher = runtime.container.get(BATCHER);
    const fromBatch = watcher.batches.length;
    const backlog = watcher.untilQueueRisesBy(400);
    const busy = runtime.pipeline.embed(busyTexts(400), { timeoutMs: 300_000 });
    await backlog;
    const controller = new AbortController();
    const queued = watcher.untilQueueRisesBy(50);
    const cancelled = runtime.pipeline.embed(Array.from({ length: 50 }, (_, i) => `short text ${i} to cancel`), { signal: controller.signal, timeoutMs: 300_000 }).catch((e: unknown) => e);

    // The abort comes in the same turn of the event loop as the push: no batch can finish (and
    // free a worker for these texts) in between, so all 50 are queued and none is running.
    const busyQueuedAhead = await queued;
    controller.abort();
    const error = await cancelled;
    await busy;
    await batcher.drain();

    expect(busyQueuedAhead, 'precondition: busy texts still queued ahead, so every worker slot was taken').to.be.greaterThan(0);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_CANCELLED');
    expect(watcher.textsRunSince(fromBatch), 'only the 400 busy texts ran').to.equal(400);
    expect(runtime.pipeline.queuedTexts).to.equal(0);
  });

  it('rejects a non-string text with EMBEDLINE_BAD_INPUT without touching other requests', async () => {
    const good = runtime.pipeline.embed(['good one']);
    const bad = runtime.pipeline.embed(['fine', null as unknown as string]).catch((e: unknown) => e);

    expect(((await bad) as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
    expect((await good).vectors).to.have.length(1);
  });
});
