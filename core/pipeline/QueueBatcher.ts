import { inject, injectable, multiInject, optional } from 'inversify';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import type { EmbedlineConfig } from '../config/schema.js';
import { EmbedlineError } from '../errors.js';
import { BATCH_FORMER, type BatchFormer } from '../ports/BatchFormer.js';
import type { Batcher } from '../ports/Batcher.js';
import { BATCH_SIZE_POLICY, type BatchSizePolicy, type BatchState } from '../ports/BatchSizePolicy.js';
import { DEVICE_SCHEDULER, type DeviceScheduler } from '../ports/DeviceScheduler.js';
import { MEMORY_BUDGET, type MemoryBudget } from '../ports/MemoryBudget.js';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../ports/PipelineObserver.js';
import { AdmissionControl, type QueueDelayLimits } from './batching/AdmissionControl.js';
import { Dispatcher } from './batching/Dispatcher.js';
import { LengthAwareBatchFormer } from './batching/LengthAwareBatchFormer.js';
import { PriorityQueue } from './batching/PriorityQueue.js';
import { ThroughputEstimator } from './batching/ThroughputEstimator.js';
import { notifyObservers } from './notifyObservers.js';
import type { Priority, WorkItem } from './types.js';

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
  /** Longest expected queue wait admitted, per priority. */
  readonly maxQueueDelayMs: QueueDelayLimits;
  /** Batches that run at once on the devices (the workers), for the throughput estimate. */
  readonly parallelism: number;
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
    maxQueueDelayMs: {
      critical: config.batching.maxQueueDelayMs.critical,
      normal: config.batching.maxQueueDelayMs.normal,
      background: config.batching.maxQueueDelayMs.background,
    },
    parallelism: config.encoder.workers,
  };
}

/**
 * The default batcher, assembled from three parts: a priority queue (higher first, no
 * starvation), a batch former (`BATCH_FORMER`, default: oldest text plus texts of similar
 * length) and a dispatcher (to the device scheduler, split-and-retry on failure). A batch is
 * sent when it is full (size or padded-token budget), when its oldest text has waited
 * `maxWaitMs`, or at once while a worker is idle (waiting for company only pays while the
 * devices are busy). The policy sees queue depth and oldest wait per priority, batches in
 * flight, device status and memory in use, and hears about every batch. Work that would wait
 * longer than its priority's `maxQueueDelayMs` at the measured rate (or, without one, not finish
 * before its deadline) is refused at once: `admit` before tokenizing, `submit` again with its tokens.
 */
@injectable()
export class QueueBatcher implements Batcher {
  private readonly queue: PriorityQueue;
  private readonly dispatcher: Dispatcher;
  private readonly admission: AdmissionControl;
  private readonly former: BatchFormer;
  private readonly observers: readonly PipelineObserver[];
  private readonly options: QueueBatcherOptions;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    @inject(BATCH_SIZE_POLICY) private readonly policy: BatchSizePolicy,
    @inject(DEVICE_SCHEDULER) private readonly scheduler: DeviceScheduler,
    @multiInject(PIPELINE_OBSERVER) @optional() observers: PipelineObserver[] | undefined,
    @inject(EMBEDLINE_CONFIG) config: Readonly<EmbedlineConfig>,
    @inject(BATCH_FORMER) @optional() former?: BatchFormer,
    @inject(MEMORY_BUDGET) @optional() private readonly memory?: MemoryBudget,
  ) {
    this.observers = observers ?? [];
    this.options = queueBatcherOptions(config);
    this.former = former ?? new LengthAwareBatchFormer();
    this.queue = new PriorityQueue(this.options.starvationLimit);
    const throughput = new ThroughputEstimator(this.options.parallelism);
    this.admission = new AdmissionControl(throughput, this.options.maxQueueDelayMs);
    this.dispatcher = new Dispatcher(scheduler, policy, throughput, this.observers, {
      queuedTexts: () => this.queue.size,
      settled: () => {
        this.pump();
        this.notifyIdle();
      },
    });
  }

  get queuedTexts(): number {
    return this.queue.size;
  }

  get inFlightBatches(): number {
    return this.dispatcher.inFlight;
  }

  expectedWaitMs(priority: Priority): number {
    return this.admission.expectedWaitMs(this.tokensAhead(priority));
  }

  /** The checks of `submit` that need no tokens: a request refused here is never tokenized. */
  admit(priority: Priority, texts: number, remainingMs: number): void {
    this.checkRoom(texts);
    this.admission.check(priority, this.tokensAhead(priority), remainingMs);
  }

  submit(items: readonly WorkItem[]): void {
    this.checkRoom(items.length);
    if (items.length > 0) {
      const { priority, deadline } = items[0]!;
      const ownTokens = items.reduce((sum, item) => sum + item.ids.length, 0);
      this.admission.check(priority, this.tokensAhead(priority), deadline - Date.now(), ownTokens);
    }
    this.queue.push(items);
    notifyObservers(this.observers, (o) => o.onQueueDepth?.(this.queue.size));
    this.pump();
  }

  private checkRoom(texts: number): void {
    const queued = this.queue.size;
    if (queued + texts > this.options.maxQueuedTexts) {
      throw new EmbedlineError('EMBEDLINE_OVERLOADED', `The queue holds ${queued} texts and takes at most ${this.options.maxQueuedTexts}; retry shortly.`, { queued, retryAfterSeconds: 1 });
    }
  }

  /** Tokens a new text of this priority waits behind: queued at its priority and above, plus those running. */
  private tokensAhead(priority: Priority): number {
    return this.queue.tokensAhead(priority) + this.dispatcher.inFlightTokens;
  }

  drain(): Promise<void> {
    if (this.queue.size === 0 && this.dispatcher.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.dispatcher.inFlight < this.options.maxInFlightBatches) {
      this.queue.dropCancelledHeads();
      if (this.queue.size === 0) return this.clearTimer();
      const now = Date.now();
      const shape = this.policy.next(this.state(now));
      const waitedMs = now - this.queue.oldestEnqueuedAt();
      const deviceIdle = this.dispatcher.inFlight < this.options.dispatchAtOnceBelow;
      if (!deviceIdle && this.queue.size < shape.maxBatchSize && waitedMs < shape.maxWaitMs) return this.wakeAfter(shape.maxWaitMs - waitedMs);
      const priority = this.queue.pickClass();
      const limits = { ...shape, maxPaddingRatio: shape.maxPaddingRatio ?? this.options.maxPaddingRatio, lookahead: this.options.lookahead };
      const batch = this.former.form(this.queue.peek(priority), limits);
      this.queue.remove(priority, new Set(batch));
      // Also when texts leave the queue, so the gauge falls back to 0 when the service idles.
      notifyObservers(this.observers, (o) => o.onQueueDepth?.(this.queue.size));
      if (batch.length > 0) this.dispatcher.dispatch(batch);
    }
  }

  private state(now: number): BatchState {
    return {
      queuedTexts: this.queue.size,
      byPriority: this.queue.state(now),
      inFlightBatches: this.dispatcher.inFlight,
      devices: this.scheduler.status(),
      memoryInUseBytes: this.memory?.inUse() ?? 0,
      now,
    };
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
    if (this.queue.size !== 0 || this.dispatcher.inFlight !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
