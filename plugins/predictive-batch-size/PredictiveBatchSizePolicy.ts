import type { BatchFeedback, BatchShape, BatchSizePolicy, BatchState } from '../../core/ports/BatchSizePolicy.js';
import type { PredictiveBatchSizeConfig } from './config.js';
import { ErrorWindow } from './ErrorWindow.js';
import { LatencyModel } from './LatencyModel.js';
import type { PredictiveState } from './learnedState.js';
import { tightestTarget, type LatencyTargets } from '../../core/adaptive/index.js';
import type { PredictiveMetrics, PredictiveReadout } from './PredictiveMetrics.js';
import { planShape } from './ShapePlanner.js';
import { ShiftDetector } from './ShiftDetector.js';

/** Smoothing of the reference length: about the last 20 batches count. */
const LENGTH_SMOOTHING = 0.05;
/** After a failed batch the row ceiling halves; each success then raises it by a quarter. */
const CEILING_RECOVERY = 1.25;

export interface PredictivePolicyParts {
  readonly config: PredictiveBatchSizeConfig;
  readonly staticShape: BatchShape;
  readonly targets: LatencyTargets;
  readonly metrics: PredictiveMetrics;
  readonly learned?: PredictiveState | undefined;
  /** Called with the state every `persistEveryBatches` batches; errors are the caller's to report. */
  readonly persist?: ((state: PredictiveState) => Promise<void>) | undefined;
}

/**
 * Batch limits from an online latency model. Until it has learned from `minSamples` batches it
 * serves the static shape; after that, for the tightest latency target among the priorities
 * waiting, it picks the size and wait that maximise predicted throughput (ShapePlanner) for the
 * length of the texts waiting (the queue's mean, else the smoothed padded length of recent
 * batches). It learns from each successful batch's `inferMs` (the device's own time, free of the
 * queueing in front of it); a failed batch halves a row ceiling that successes then lift again.
 * When its error stays high (ShiftDetector) the cost curve has moved: it reopens the model
 * (LatencyModel.reopen) and takes the recent batches' length as its reference at once.
 *
 * @example
 * const policy = new PredictiveBatchSizePolicy({ config, staticShape, targets, metrics });
 * policy.record({ size: 16, seqLen: 40, realTokens: 600, queueWaitMs: 1, inferMs: 12, device: 'cpu-0', queuedTexts: 0 });
 * policy.next({ queuedTexts: 30 });
 */
export class PredictiveBatchSizePolicy implements BatchSizePolicy {
  private readonly model: LatencyModel;
  private readonly errors: ErrorWindow;
  private referenceLength: number;
  private rowCeiling: number;
  private sinceSaved = 0;
  private lastShape: BatchShape;
  private readonly plans = new Map<string, BatchShape>();
  private readonly shifts: ShiftDetector | undefined;
  /** Padded lengths of the last batches, the reference length after a shift. */
  private readonly recentLengths: number[] = [];

  constructor(private readonly parts: PredictivePolicyParts) {
    const { config, learned } = parts;
    this.model = new LatencyModel(config.forgetting, learned?.model);
    this.errors = new ErrorWindow(config.errorWindow);
    this.referenceLength = learned?.referenceLength ?? Math.max(1, parts.staticShape.maxBatchTokens / parts.staticShape.maxBatchSize);
    this.rowCeiling = config.maxBatchSizeLimit;
    this.lastShape = parts.staticShape;
    const shift = config.shiftDetection;
    this.shifts = shift.enabled ? new ShiftDetector(shift.batches, shift.minError, shift.factor) : undefined;
    parts.metrics.watch(() => this.readout());
  }

  /** True while the static shape is served. */
  get learning(): boolean {
    return this.model.samples < this.parts.config.minSamples;
  }

  /** Predicted inference milliseconds for a batch shape (what the model believes now). */
  predictMs(rows: number, seqLen: number): number {
    return this.model.predict(rows, seqLen);
  }

  next(state: BatchState): BatchShape {
    if (this.learning) return (this.lastShape = this.parts.staticShape);
    const budget = tightestTarget(this.parts.targets, state.byPriority);
    const length = Math.max(1, Math.round(queuedLength(state) ?? this.referenceLength));
    const key = `${budget}/${length}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planShape((rows, len) => this.model.predict(rows, len), length, budget, this.parts.config);
      this.plans.set(key, plan);
    }
    const rows = Math.min(plan.maxBatchSize, Math.floor(this.rowCeiling));
    this.lastShape = rows === plan.maxBatchSize ? plan : { ...plan, maxBatchSize: rows, maxBatchTokens: Math.ceil((plan.maxBatchTokens * rows) / plan.maxBatchSize) };
    return this.lastShape;
  }

  record(feedback: BatchFeedback): void {
    if (feedback.ok === false) {
      this.rowCeiling = Math.max(1, Math.floor(feedback.size / 2));
      this.parts.metrics.failures.inc();
      return;
    }
    if (feedback.size <= 0 || !(feedback.inferMs > 0)) return;
    this.rowCeiling = Math.min(this.parts.config.maxBatchSizeLimit, Math.max(this.rowCeiling + 1, this.rowCeiling * CEILING_RECOVERY));
    this.recentLengths.push(feedback.seqLen);
    if (this.recentLengths.length > this.parts.config.shiftDetection.batches) this.recentLengths.shift();
    // Out-of-sample error: predicted before this batch is learned. Fewer samples than features is an underdetermined guess.
    if (this.model.samples >= 4) {
      const predicted = this.model.predict(feedback.size, feedback.seqLen);
      const usual = this.errors.value();
      this.errors.add(predicted, feedback.inferMs);
      if (this.shifts?.add(Math.abs(predicted - feedback.inferMs) / feedback.inferMs, usual)) this.shifted();
    }
    this.model.update(feedback.size, feedback.seqLen, feedback.inferMs);
    this.referenceLength += LENGTH_SMOOTHING * (feedback.seqLen - this.referenceLength);
    this.plans.clear();
    this.parts.metrics.samples.inc();
    if (++this.sinceSaved >= this.parts.config.persistEveryBatches) void this.flush().catch(() => undefined); // persist reports its own failures
  }

  /** The curve moved: re-learn fast from the old weights, and size for the lengths now arriving. */
  private shifted(): void {
    this.model.reopen();
    this.referenceLength = this.recentLengths.reduce((a, b) => a + b, 0) / this.recentLengths.length;
    this.parts.metrics.shifts.inc();
  }

  /** Persists now (also called every `persistEveryBatches` batches). */
  async flush(): Promise<void> {
    this.sinceSaved = 0;
    await this.parts.persist?.(this.state());
  }

  state(): PredictiveState {
    const model = this.model.state();
    return { version: 1, model: { weights: [...model.weights], covariance: [...model.covariance], samples: model.samples }, referenceLength: this.referenceLength };
  }

  readout(): PredictiveReadout {
    return { mape: this.errors.value(), learning: this.learning, shape: this.lastShape };
  }
}

/** Mean real length of the texts queued in the classes that have any; undefined when the state does not say. */
function queuedLength(state: BatchState): number | undefined {
  const by = state.byPriority;
  if (!by) return undefined;
  let texts = 0;
  let tokens = 0;
  for (const queue of [by.critical, by.normal, by.background]) {
    if (queue.depth === 0) continue;
    if (queue.tokens === undefined) return undefined;
    texts += queue.depth;
    tokens += queue.tokens;
  }
  return texts > 0 ? tokens / texts : undefined;
}
