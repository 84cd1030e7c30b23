import { toEmbedlineError, type ErrorCode } from '../../errors.js';
import type { BatchFeedback, BatchSizePolicy } from '../../ports/BatchSizePolicy.js';
import type { DeviceScheduler } from '../../ports/DeviceScheduler.js';
import type { PipelineObserver } from '../../ports/PipelineObserver.js';
import { BatchTrace } from '../BatchTrace.js';
import { notifyObservers } from '../notifyObservers.js';
import { PRIORITIES, type Priority, type WorkItem } from '../types.js';
import type { ThroughputEstimator } from './ThroughputEstimator.js';

export interface DispatcherHooks {
  /** Texts still queued, for feedback. */
  queuedTexts(): number;
  /** A batch finished (either way): the batcher may form the next one. */
  settled(): void;
}

/** Failures a single text can cause (ONNX Runtime rejecting an input, a worker dying on it): worth a split. */
const SPLITTABLE_FAILURES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['EMBEDLINE_INFERENCE', 'EMBEDLINE_WORKER_CRASHED']);

/**
 * Sends formed batches to the device scheduler and routes results back to their texts. Every
 * batch, failed ones included, is reported to the policy, the throughput estimate and the
 * observers. A batch that fails on its contents is split in halves and retried, so one
 * poisonous text fails only its own request; a failure that no split can cure (the device cannot
 * start, the process is stopping) fails every text at once instead of starting the device again
 * for each half. A text alone in a batch whose worker crashed runs once more before it fails.
 */
export class Dispatcher {
  private running = 0;
  private runningTokens = 0;
  private nextBatchId = 1;
  /** Texts that crashed a worker running alone in their batch: a second crash fails them. */
  private readonly crashedAlone = new WeakSet<WorkItem>();

  constructor(
    private readonly scheduler: DeviceScheduler,
    private readonly policy: BatchSizePolicy,
    private readonly throughput: ThroughputEstimator,
    private readonly observers: readonly PipelineObserver[],
    private readonly hooks: DispatcherHooks,
    private readonly clock: () => number = Date.now,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** Real tokens in batches handed to devices and not yet finished. */
  get inFlightTokens(): number {
    return this.runningTokens;
  }

  dispatch(items: WorkItem[]): void {
    this.running++;
    const batchId = this.nextBatchId++;
    const startedAt = this.clock();
    const queueWaitMs = items.reduce((sum, it) => sum + (startedAt - it.enqueuedAt), 0) / items.length;
    const priority = items.reduce<Priority>((best, it) => (PRIORITIES.indexOf(it.priority) < PRIORITIES.indexOf(best) ? it.priority : best), 'background');
    const rows = items.map((it) => it.ids);
    const seqLen = Math.max(...rows.map((r) => r.length));
    const realTokens = rows.reduce((sum, r) => sum + r.length, 0);
    this.runningTokens += realTokens;
    const base = { size: items.length, seqLen, realTokens, paddedTokens: items.length * seqLen, queueWaitMs, priority };
    const traced = BatchTrace.start({ batchId, items, priority, seqLen, realTokens });
    this.scheduler
      .run({ id: batchId, variant: items[0]!.variant, rows, priority })
      .then(
        (outcome) => {
          traced.succeeded(outcome);
          const durationMs = Math.max(this.clock() - startedAt, outcome.inferMs);
          this.throughput.record(realTokens, durationMs);
          const dim = outcome.vectors.length / items.length;
          const info = { batchId, size: items.length, seqLen, device: outcome.device, queueWaitMs, inferMs: outcome.inferMs };
          items.forEach((item, row) => item.resolve(outcome.vectors.subarray(row * dim, (row + 1) * dim), info));
          this.report({ ...base, inferMs: outcome.inferMs, durationMs, device: outcome.device, queuedTexts: this.hooks.queuedTexts(), ok: true }, batchId);
        },
        (cause: unknown) => {
          const error = toEmbedlineError(cause, 'EMBEDLINE_INFERENCE');
          traced.failed(error);
          this.report({ ...base, inferMs: 0, durationMs: this.clock() - startedAt, device: 'none', queuedTexts: this.hooks.queuedTexts(), ok: false }, batchId, error);
          if (items.length > 1 && SPLITTABLE_FAILURES.has(error.code)) {
            const half = Math.ceil(items.length / 2);
            this.dispatch(items.slice(0, half));
            this.dispatch(items.slice(half));
          } else if (error.code === 'EMBEDLINE_WORKER_CRASHED' && !this.crashedAlone.has(items[0]!)) {
            // A batch of one cannot be split, yet the crash may have nothing to do with its text
            // (the thread was killed, ran out of memory): it runs once more, on the new thread,
            // and fails only if it takes that one down too.
            this.crashedAlone.add(items[0]!);
            this.dispatch(items);
          } else {
            for (const item of items) item.reject(error);
          }
        },
      )
      .finally(() => {
        this.running--;
        this.runningTokens -= realTokens;
        this.hooks.settled();
      });
  }

  private report(feedback: BatchFeedback & { priority: Priority }, batchId: number, error?: ReturnType<typeof toEmbedlineError>): void {
    try {
      this.policy.record(feedback);
    } catch {
      // A learning policy's bug must not fail the texts of a batch that already succeeded.
    }
    notifyObservers(this.observers, (o) => o.onBatch?.({ ...feedback, batchId, priority: feedback.priority, ...(error ? { error } : {}) }));
  }
}
