import { expect } from 'chai';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { EmbedlineError } from '../../../core/errors.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';

describe('pipeline batching on the real model', () => {
  let runtime: EmbedlineRuntime;
  let reference: Map<string, Float32Array>;

  before(async () => {
    runtime = await startTestRuntime({ batching: { maxWaitMs: 5, maxBatchSize: 64, maxQueuedTexts: 50_000 } });
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

  it('coalesces concurrent single-text requests into shared batches', async () => {
    const batchSizes: number[] = [];
    const observed = await startTestRuntime({ batching: { maxWaitMs: 20 } }, [
      (await import('../../../adapters/prometheus/observerModule.js')).observerModule({ onBatch: (e) => batchSizes.push(e.size) }),
    ]);
    try {
      await Promise.all(Array.from({ length: 64 }, (_, i) => observed.pipeline.embed([`sentence number ${i}`])));
    } finally {
      await observed.close();
    }

    expect(batchSizes.length).to.be.below(64);
    expect(Math.max(...batchSizes)).to.be.greaterThan(1);
  });

  it('counts prompt tokens including [CLS] and [SEP]', async () => {
    const result = await runtime.pipeline.embed(['hello world']);

    expect(result.promptTokens).to.equal(4);
  });

  it('fails a request whose deadline passes with EMBEDLINE_TIMEOUT and keeps serving others', async () => {
    // Enough work that texts are still queued behind the batches in flight; "late" is sent only
    // once they are, so it waits behind them instead of finding a worker idle.
    const busy = runtime.pipeline.embed(Array.from({ length: 400 }, () => 'a sentence of some forty word pieces, '.repeat(5)), { timeoutMs: 300_000 });
    while (runtime.pipeline.queuedTexts === 0) await new Promise((r) => setTimeout(r, 1));

    const error = await runtime.pipeline.embed(['late'], { timeoutMs: 50 }).catch((e: unknown) => e);
    await busy;

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_TIMEOUT');
    expect((await runtime.pipeline.embed(['still fine'])).vectors).to.have.length(1);
  });

  it('fails a cancelled request with EMBEDLINE_CANCELLED and drops its queued texts', async () => {
    const controller = new AbortController();
    const busy = runtime.pipeline.embed(Array.from({ length: 120 }, () => VARIED_SENTENCES[201]!));
    const cancelled = runtime.pipeline.embed(Array.from({ length: 50 }, (_, i) => `to cancel ${i}`), { signal: controller.signal });

    controller.abort();
    const error = await cancelled.catch((e: unknown) => e);
    await busy;

    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_CANCELLED');
    expect(runtime.pipeline.queuedTexts).to.equal(0);
  });

  it('rejects a non-string text with EMBEDLINE_BAD_INPUT without touching other requests', async () => {
    const good = runtime.pipeline.embed(['good one']);
    const bad = runtime.pipeline.embed(['fine', null as unknown as string]).catch((e: unknown) => e);

    expect(((await bad) as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
    expect((await good).vectors).to.have.length(1);
  });
});
