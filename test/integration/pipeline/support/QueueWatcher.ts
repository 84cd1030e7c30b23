import type { BatchFeedback } from '../../../../core/ports/BatchSizePolicy.js';
import type { PipelineObserver } from '../../../../core/ports/PipelineObserver.js';

interface RiseWaiter {
  readonly by: number;
  readonly resolve: (depthBefore: number) => void;
}

/**
 * An observer for a runtime shared by a file's tests: it records every finished batch and lets a
 * test wait for the moment texts enter the queue, instead of polling the queue on a timer.
 * Queue depth only rises when a request's texts are pushed (one event per push, before the
 * batcher forms anything from them), so "rose by n" marks exactly that push.
 */
export class QueueWatcher implements PipelineObserver {
  readonly batches: BatchFeedback[] = [];
  private depth = 0;
  private waiters: RiseWaiter[] = [];

  onBatch(event: BatchFeedback): void {
    this.batches.push(event);
  }

  onQueueDepth(queuedTexts: number): void {
    const before = this.depth;
    this.depth = queuedTexts;
    const due = this.waiters.filter((w) => queuedTexts - before >= w.by);
    this.waiters = this.waiters.filter((w) => !due.includes(w));
    for (const waiter of due) waiter.resolve(before);
  }

  /** Resolves, with the depth just before, once one push adds at least `by` texts to the queue. */
  untilQueueRisesBy(by: number): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ by, resolve }));
  }

  /** Texts in the batches finished since `fromBatch` (an index into {@link batches}). */
  textsRunSince(fromBatch: number): number {
    return this.batches.slice(fromBatch).reduce((sum, b) => sum + (b.ok === false ? 0 : b.size), 0);
  }
}
