import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../../../core/ports/PipelineObserver.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { HUNDRED_K_CHARS } from '../../fixtures/sentences.js';
import { embedTexts, startRealRuntime } from '../../support/model.js';

const WORKERS = 2;

/**
 * Watches the batcher through the observer port: texts leaving the queue are a batch handed to
 * the device scheduler, `onBatch` is a batch's result back from a worker.
 */
class BatchWatch implements PipelineObserver {
  handedOver = 0;
  completed = 0;
  onHandOver: (() => void) | undefined;
  private depth = 0;

  onQueueDepth(queuedTexts: number): void {
    const handedOver = queuedTexts < this.depth;
    this.depth = queuedTexts;
    if (handedOver) {
      this.handedOver++;
      this.onHandOver?.();
    }
  }

  onBatch(): void {
    this.completed++;
  }
}

/**
 * Inference must run on the worker threads, never on the event loop. The check is ordering, not
 * timing (event-loop delay is measured in bench/encoder/eventLoopDelay.ts): a callback queued
 * with setImmediate in the same turn the batches are handed over runs in that turn's check
 * phase, so it runs before their results only if the results come from another thread. Were
 * inference on the main thread, the batches would be done before the callback ran.
 */
describe('inference off the event loop (production runtime)', () => {
  let runtime: EmbedlineRuntime;
  const watch = new BatchWatch();

  before(async () => {
    runtime = await startRealRuntime({ workers: WORKERS, modules: [new ContainerModule(({ bind }) => void bind(PIPELINE_OBSERVER).toConstantValue(watch))] });
    await embedTexts(runtime, ['warm up the sessions']);
  });

  after(async () => runtime?.close());

  it('runs a timer queued as the batches are handed over before any result comes back, with every worker given a batch', async () => {
    // 16 texts of 256 word pieces per batch (the default shape), one batch per worker.
    const texts = Array.from({ length: 16 * WORKERS }, (_, i) => HUNDRED_K_CHARS.slice(i * 3000, (i + 1) * 3000));
    const baseline = { handedOver: watch.handedOver, completed: watch.completed };
    let settled = false;
    let seenByTimer: { handedOver: number; completed: number; settled: boolean } | undefined;
    watch.onHandOver = () => {
      watch.onHandOver = undefined;
      setImmediate(() => {
        seenByTimer = { handedOver: watch.handedOver - baseline.handedOver, completed: watch.completed - baseline.completed, settled };
      });
    };

    const { promptTokens } = await runtime.pipeline.embed(texts).finally(() => (settled = true));

    expect(promptTokens).to.equal(texts.length * 256);
    expect(seenByTimer).to.deep.equal({ handedOver: WORKERS, completed: 0, settled: false });
    expect(watch.completed - baseline.completed).to.equal(WORKERS);
  });
});
