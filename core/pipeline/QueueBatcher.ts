import { inject, injectable, multiInject, optional } from 'inversify';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import type { EmbedlineConfig } from '../config/schema.js';
import { EmbedlineError, toEmbedlineError } from '../errors.js';
import type { Batcher } from '../ports/Batcher.js';
import { BATCH_SIZE_POLICY, type BatchShape, type BatchSizePolicy } from '../ports/BatchSizePolicy.js';
import { DEVICE_SCHEDULER, type DeviceScheduler } from '../ports/DeviceScheduler.js';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../ports/PipelineObserver.js';
import { withinLimits, type BatchLimits } from '../encoder/batchPlanner.js';
import { BatchTrace } from './BatchTrace.js';
import { notifyObservers } from './notifyObservers.js';
import { PRIORITIES, type Priority, type WorkItem } from './types.js';

export interface QueueBatcherOptions {
  readonly maxQueuedTexts: number;
  /** After this many batches of a higher class in a row, a waiting lower class goes next. */
  readonly starvationLimit: number;
  /** Batches handed to devices at once; beyond that, texts wait here and coalesce. */
  readonly maxInFlightBatches: number;
  /** How many batches' worth of queue the batcher searches for texts of similar length. */
  readonly lookahead: number;
  /** A batch stops growing before padded positions would exceed this share of it. */
  readonly maxPaddingRatio: number;
  /**
   * While fewer batches than this are running (a device is idle), a batch goes at once instead
   * of waiting `maxWaitMs` for company: waiting only pays when the devices are busy. 0 = always wait.
   */
  readonly dispatchAtOnceBelow: number;
}

export function queueBatcherOptions(config: Readonly<EmbedlineConfig>): QueueBatcherOptions {
  return {
    maxQueuedTexts: config.batching.maxQueuedTexts,
    starvationLimit: config.batching.starvationLimit,
    // One batch running per worker plus one ready to go; more would stop texts coalescing here.
    maxInFlightBatches: config.encoder.workers * 2,
    lookahead: config.batching.lookahead,
    maxPaddingRatio: config.batching.maxPaddingRatio,
    dispatchAtOnceBelow: config.batching.dispatchWhenIdle ? config.encoder.workers : 0,
  };
}

/**
 * The default batcher: one FIFO queue per priority. A batch is sent when it is full (size or
 * padded-token budget), when its oldest text has waited `maxWaitMs`, or at once while a worker
 * is idle (waiting for company only pays while the devices are busy); it is built around the
 * oldest text from texts of similar length. Higher priority goes first,
 * but a class passed over `starvationLimit` times in a row is served next. A batch that fails
 * is split in halves and retried, so one poisonous text fails only its own request.
 */
@injectable()
export class QueueBatcher implements Batcher {
  private readonly queues: Record<Priority, WorkItem[]> = { critical: [], normal: [], background: [] };
  private readonly passedOver: Record<Priority, number> = { critical: 0, normal: 0, background: 0 };
  private queued = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private nextBatchId = 1;
  private idleWaiters: (() => void)[] = [];

  private readonly observers: readonly PipelineObserver[];
  private readonly options: QueueBatcherOptions;

  constructor(
    @inject(BATCH_SIZE_POLICY) private readonly policy: BatchSizePolicy,
    @inject(DEVICE_SCHEDULER) private readonly scheduler: DeviceScheduler,
    @multiInject(PIPELINE_OBSERVER) @optional() observers: PipelineObserver[] | undefined,
    @inject(EMBEDLINE_CONFIG) config: Readonly<EmbedlineConfig>,
  ) {
    this.observers = observers ?? [];
    this.options = queueBatcherOptions(config);
  }

  get queuedTexts(): number {
    return this.queued;
  }

  get inFlightBatches(): number {
    return this.inFlight;
  }

  submit(items: readonly WorkItem[]): void {
    if (this.queued + items.length > this.options.maxQueuedTexts) {
      throw new EmbedlineError('EMBEDLINE_OVERLOADED', `The queue holds ${this.queued} texts and takes at most ${this.options.maxQueuedTexts}; retry shortly.`, { queued: this.queued, retryAfterSeconds: 1 });
    }
    for (const item of items) this.queues[item.priority].push(item);
    this.queued += items.length;
    notifyObservers(this.observers, (o) => o.onQueueDepth?.(this.queued));
    this.pump();
  }

  drain(): Promise<void> {
    if (this.queued === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlightBatches) {
      this.dropCancelledHeads();
      if (this.queued === 0) return this.clearTimer();
      const shape = this.policy.next({ queuedTexts: this.queued });
      const waitedMs = Date.now() - this.oldestEnqueuedAt();
      const deviceIdle = this.inFlight < this.options.dispatchAtOnceBelow;
      if (!deviceIdle && this.queued < shape.maxBatchSize && waitedMs < shape.maxWaitMs) return this.wakeAfter(shape.maxWaitMs - waitedMs);
      const batch = this.takeBatch(shape);
      // Also when texts leave the queue, so the gauge falls back to 0 when the service idles.
      notifyObservers(this.observers, (o) => o.onQueueDepth?.(this.queued));
      if (batch.length > 0) this.dispatch(batch);
    }
  }

  /**
   * The oldest text of the chosen class always goes now (FIFO fairness); the rest of the batch
   * is grown from texts of similar length among the next `lookahead × maxBatchSize` of that
   * class, each step taking whichever neighbour (shorter or longer) adds the fewest padded
   * tokens, and stopping before padding would pass `maxPaddingRatio` of the batch. Padding is
   * the cost that matters on real text: one long text in a FIFO batch pads every row to its
   * length, and even sorted batches of 64 spent 30% of their tokens on padding
   * (docs/BENCHMARKS.md, "Pipeline batching").
   */
  private takeBatch(shape: BatchShape): WorkItem[] {
    const queue = this.queues[this.pickClass()];
    const head = queue[0]!;
    const window = queue.slice(0, shape.maxBatchSize * this.options.lookahead).filter((it) => it.variant === head.variant && !it.isCancelled());
    const byLength = [...window].sort((a, b) => a.ids.length - b.ids.length);
    let lo = byLength.indexOf(head);
    let hi = lo;
    let longest = head.ids.length;
    let real = longest;
    const limits: BatchLimits = { maxBatchSize: shape.maxBatchSize, maxBatchTokens: shape.maxBatchTokens, maxPaddingRatio: this.options.maxPaddingRatio };
    // Padded cells the batch would hold beyond its real tokens with `candidate` added.
    const wasteWith = (candidate: WorkItem | undefined): number => (candidate ? (hi - lo + 2) * Math.max(longest, candidate.ids.length) - real - candidate.ids.length : Infinity);
    for (;;) {
      const below = byLength[lo - 1];
      const above = byLength[hi + 1];
      const takeAbove = wasteWith(above) <= wasteWith(below);
      const candidate = takeAbove ? above : below;
      if (!candidate || !withinLimits(hi - lo + 2, Math.max(longest, candidate.ids.length), real + candidate.ids.length, limits)) break;
      longest = Math.max(longest, candidate.ids.length);
      real += candidate.ids.length;
      if (takeAbove) hi++;
      else lo--;
    }
    const batch = new Set(byLength.slice(lo, hi + 1));
    this.queues[head.priority] = queue.filter((it) => !batch.has(it));
    this.queued -= batch.size;
    return [...batch];
  }

  /** Highest priority with work, unless a lower class has been passed over too often. */
  private pickClass(): Priority {
    const waiting = PRIORITIES.filter((p) => this.queues[p].length > 0);
    const starving = [...waiting].reverse().find((p) => this.passedOver[p] >= this.options.starvationLimit);
    const chosen = starving ?? waiting[0]!;
    for (const p of waiting) this.passedOver[p] = p === chosen ? 0 : this.passedOver[p] + 1;
    return chosen;
  }

  private dispatch(items: WorkItem[]): void {
    this.inFlight++;
    const batchId = this.nextBatchId++;
    const startedAt = Date.now();
    const queueWaitMs = items.reduce((sum, it) => sum + (startedAt - it.enqueuedAt), 0) / items.length;
    const priority = items.reduce<Priority>((best, it) => (PRIORITIES.indexOf(it.priority) < PRIORITIES.indexOf(best) ? it.priority : best), 'background');
    const rows = items.map((it) => it.ids);
    const seqLen = Math.max(...rows.map((r) => r.length));
    const realTokens = rows.reduce((sum, r) => sum + r.length, 0);
    const traced = BatchTrace.start({ batchId, items, priority, seqLen, realTokens });
    this.scheduler
      .run({ id: batchId, variant: items[0]!.variant, rows, priority })
      .then(
        (outcome) => {
          traced.succeeded(outcome);
          const dim = outcome.vectors.length / items.length;
          const info = { batchId, size: items.length, seqLen, device: outcome.device, queueWaitMs, inferMs: outcome.inferMs };
          items.forEach((item, row) => item.resolve(outcome.vectors.subarray(row * dim, (row + 1) * dim), info));
          const feedback = { size: items.length, seqLen, realTokens, queueWaitMs, inferMs: outcome.inferMs, device: outcome.device, queuedTexts: this.queued };
          this.policy.record(feedback);
          notifyObservers(this.observers, (o) => o.onBatch?.({ ...feedback, batchId, priority }));
        },
        (cause: unknown) => {
          const error = toEmbedlineError(cause, 'EMBEDLINE_INFERENCE');
          traced.failed(error);
          notifyObservers(this.observers, (o) => o.onBatch?.({ size: items.length, seqLen, realTokens, queueWaitMs, inferMs: 0, device: 'none', queuedTexts: this.queued, batchId, priority, error }));
          if (items.length > 1 && error.code !== 'EMBEDLINE_SHUTTING_DOWN') {
            const half = Math.ceil(items.length / 2);
            this.dispatch(items.slice(0, half));
            this.dispatch(items.slice(half));
          } else {
            for (const item of items) item.reject(error);
          }
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pump();
        this.notifyIdle();
      });
  }

  private dropCancelledHeads(): void {
    for (const p of PRIORITIES) {
      const queue = this.queues[p];
      while (queue.length > 0 && queue[0]!.isCancelled()) {
        queue.shift();
        this.queued--;
      }
    }
  }

  private oldestEnqueuedAt(): number {
    return Math.min(...PRIORITIES.map((p) => this.queues[p][0]?.enqueuedAt ?? Infinity));
  }

  private wakeAfter(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(0, Math.ceil(ms)));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queued !== 0 || this.inFlight !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
