import { toEmbedlineError, type EmbedlineError } from '../../core/errors.js';
import type { InferenceDevice } from '../../core/ports/InferenceDevice.js';
import { Backoff } from './Backoff.js';
import type { WeightedSchedulerConfig } from './config.js';
import type { LaneJob } from './LaneJob.js';
import { SpeedEstimate } from './SpeedEstimate.js';
import type { DeviceLoad } from './strategies/DevicePicker.js';

export const LANE_STATES = ['probing', 'ready', 'quarantined', 'unavailable'] as const;
export type LaneState = (typeof LANE_STATES)[number];

/** How a lane tells the scheduler about work it cannot finish and capacity it regains. */
export interface LaneEvents {
  completed(lane: DeviceLane, job: LaneJob, timing: { readonly waitMs: number; readonly serviceMs: number }): void;
  /** A run failed after `serviceMs` on the device; the scheduler re-runs the batch elsewhere or gives up on it. */
  failed(lane: DeviceLane, job: LaneJob, error: EmbedlineError, serviceMs: number): void;
  /** Batches that were waiting on a lane that has just left service; they never ran. */
  orphaned(jobs: readonly LaneJob[]): void;
  ready(lane: DeviceLane): void;
}

export interface LaneOptions {
  readonly probeRows: readonly Int32Array[];
  readonly probeRuns: number;
  readonly speedSmoothing: number;
  readonly quarantine: WeightedSchedulerConfig['quarantine'];
  /** Milliseconds, monotonic (LANE_CLOCK). */
  readonly now: () => number;
}

/**
 * The scheduler's side of one device: its FIFO of assigned batches (run one at a time, so the
 * queue and its token count are exact), its measured speed, and its health. A device is
 * probed with a warm-up batch before it takes work; after a crash, or after
 * `afterConsecutiveErrors` failed batches, it is quarantined, its waiting batches are handed
 * back, and it is probed again after an exponential backoff.
 */
export class DeviceLane implements DeviceLoad {
  state: LaneState = 'probing';
  queuedTokens = 0;
  lastError: EmbedlineError | undefined;
  private readonly waiting: LaneJob[] = [];
  private running: LaneJob | undefined;
  private consecutiveErrors = 0;
  private everReady = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The start-and-probe in progress, if any: close() lets it finish rather than stop a thread inside session.run. */
  private starting: Promise<boolean> | undefined;
  private readonly speed: SpeedEstimate;
  private readonly backoff: Backoff;

  /**
   * `detected`: an auto-detected accelerator, dropped (`unavailable`) if it never starts; a configured one is retried.
   * `maxBatchTokens`: the largest batch, in padded tokens, the scheduler may give it.
   */
  constructor(readonly device: InferenceDevice, private readonly detected: boolean, private readonly options: LaneOptions, private readonly events: LaneEvents, readonly maxBatchTokens = Infinity) {
    this.speed = new SpeedEstimate(options.speedSmoothing);
    this.backoff = new Backoff(options.quarantine.initialBackoffMs, options.quarantine.maxBackoffMs);
  }

  get id(): string {
    return this.device.spec.id;
  }

  get tokensPerSecond(): number {
    return this.speed.tokensPerSecond ?? 0;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get queuedBatches(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  /** Starts the session and times the warm-up batch; resolves whether the lane is now ready. */
  bringUp(): Promise<boolean> {
    this.starting = this.startAndProbe().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startAndProbe(): Promise<boolean> {
    this.state = 'probing';
    try {
      await this.device.start();
      await this.probe();
    } catch (cause) {
      this.lastError = toEmbedlineError(cause, 'EMBEDLINE_INFERENCE');
      await this.device.stop().catch(() => {});
      // An auto-detected accelerator that never started is simply not there (no adapter).
      if (this.detected && !this.everReady) this.state = 'unavailable';
      else if (!this.closed) this.quarantine();
      return false;
    }
    if (this.closed) {
      await this.device.stop();
      return false;
    }
    this.state = 'ready';
    this.everReady = true;
    this.consecutiveErrors = 0;
    this.backoff.reset();
    this.events.ready(this);
    this.pump();
    return true;
  }

  enqueue(job: LaneJob): void {
    job.queuedAt = this.options.now();
    this.waiting.push(job);
    this.queuedTokens += job.tokens;
    this.pump();
  }

  /** Stops the device for good; returns the batches still waiting, which never ran. */
  async close(): Promise<LaneJob[]> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const orphans = this.takeWaiting();
    // A probe still running stops the device itself once it sees `closed`.
    await this.starting;
    await this.device.stop();
    return orphans;
  }

  private async probe(): Promise<void> {
    const rows = this.options.probeRows;
    const tokens = rows.length * rows.reduce((max, r) => Math.max(max, r.length), 0);
    let ms = 0;
    for (let run = 0; run < this.options.probeRuns; run++) {
      const started = this.options.now();
      await this.device.run(rows);
      ms = this.options.now() - started;
    }
    // The first run also pays for session warm-up, so only the last one is timed.
    this.speed.seed(tokens, ms);
  }

  private pump(): void {
    if (this.running || this.state !== 'ready' || this.closed) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.running = job;
    const started = this.options.now();
    this.device.run(job.batch.rows).then(
      (run) => {
        const serviceMs = this.options.now() - started;
        this.finish(job);
        this.consecutiveErrors = 0;
        this.speed.record(job.tokens, serviceMs);
        this.events.completed(this, job, { waitMs: started - job.queuedAt, serviceMs });
        job.resolve({ vectors: run.vectors, device: this.id, inferMs: run.inferMs, poolMs: run.poolMs });
        this.pump();
      },
      (cause: unknown) => {
        const serviceMs = this.options.now() - started;
        const error = toEmbedlineError(cause, 'EMBEDLINE_INFERENCE');
        this.finish(job);
        this.lastError = error;
        this.consecutiveErrors++;
        const crashed = error.code === 'EMBEDLINE_WORKER_CRASHED';
        if (!this.closed && (crashed || this.consecutiveErrors >= this.options.quarantine.afterConsecutiveErrors)) this.quarantine();
        this.events.failed(this, job, error, serviceMs);
        this.pump();
      },
    );
  }

  private finish(job: LaneJob): void {
    this.running = undefined;
    this.queuedTokens -= job.tokens;
  }

  private quarantine(): void {
    this.state = 'quarantined';
    const orphans = this.takeWaiting();
    void this.device.stop().catch(() => {});
    const delay = this.backoff.next();
    this.retryTimer = setTimeout(() => void this.bringUp(), delay);
    // A quarantined device must not keep a closing process alive.
    this.retryTimer.unref();
    if (orphans.length > 0) this.events.orphaned(orphans);
  }

  private takeWaiting(): LaneJob[] {
    const jobs = this.waiting.splice(0);
    for (const job of jobs) this.queuedTokens -= job.tokens;
    return jobs;
  }
}
