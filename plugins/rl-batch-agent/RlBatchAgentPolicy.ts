import type { BatchFeedback, BatchShape, BatchSizePolicy, BatchState } from '../../core/ports/BatchSizePolicy.js';
import type { LatencyTargets } from '../../core/adaptive/index.js';
import type { Arm } from './arms.js';
import type { RlBatchAgentConfig } from './config.js';
import { CONTEXT_SIZE, contextOf } from './context.js';
import type { RlState } from './learnedState.js';
import { LinUcb } from './LinUcb.js';
import { batchReward, usefulRate } from './reward.js';
import { RewardShift } from './RewardShift.js';
import type { EpochKind, RlMetrics, RlReadout } from './RlMetrics.js';

/** How fast the static baseline follows new static epochs. */
const BASELINE_SMOOTHING = 0.2;
/** An arm whose mean is this sure (about ten epochs of evidence in the context) has an expectation to miss. */
const KNOWN_ARM_UNCERTAINTY = 0.35;

interface Epoch {
  readonly arm: number;
  readonly kind: EpochKind;
  readonly context: readonly number[];
  /** Feedback still to come from batches formed under the previous arm: not this arm's to learn from. */
  stale: number;
  readonly rewards: number[];
  readonly rates: number[];
}

export interface RlPolicyParts {
  readonly config: RlBatchAgentConfig;
  /** Arm 0 is the static shape. */
  readonly arms: readonly Arm[];
  readonly targets: LatencyTargets;
  readonly metrics: RlMetrics;
  readonly learned?: RlState | undefined;
  readonly persist?: ((state: RlState) => Promise<void>) | undefined;
}

/**
 * A contextual bandit over batch shapes. Feedback carries no id of the shape that formed its
 * batch, so one decision lasts an epoch: the arm chosen for the queue state at its start stays
 * in play until `epochBatches` of its batches are back (feedback from batches formed under the
 * previous arm — as many as were in flight at the switch — is skipped). The epoch's mean reward
 * trains LinUCB for that arm and context.
 *
 * Safety: the static arm is played first (`warmupEpochs`, which also sets the reward unit);
 * afterwards an arm other than the best guess is played only while exploratory epochs stay
 * within `explorationCap` of all epochs; and when the recent mean reward falls
 * `collapseMargin` below static's, the agent serves static for `cooldownEpochs`.
 *
 * @example
 * const policy = new RlBatchAgentPolicy({ config, arms: buildArms(config, staticShape), targets, metrics });
 * const shape = policy.next(state);
 * policy.record(feedback);
 */
export class RlBatchAgentPolicy implements BatchSizePolicy {
  private readonly bandit: LinUcb;
  private epoch: Epoch | undefined;
  private scale: number | undefined;
  private baseline: number | undefined;
  private epochs: number;
  private explored: number;
  private cooldown = 0;
  private recent: number[] = [];
  /** Useful tokens/s of the warm-up's static batches; their mean becomes the reward unit. */
  private warmupRates: number[] = [];
  /** Static epochs still to play before the reward unit is (re)set: the warm-up, or the re-measure after a shift. */
  private warmupLeft: number;
  private sinceSaved = 0;
  private readonly shift: RewardShift | undefined;

  constructor(private readonly parts: RlPolicyParts) {
    const { learned } = parts;
    const saved = new Map((learned?.arms ?? []).map((a) => [a.key, a]));
    this.bandit = new LinUcb(parts.arms.length, CONTEXT_SIZE, parts.config.ucbWidth, parts.arms.map((a) => saved.get(a.key)));
    this.scale = learned?.scale;
    this.warmupLeft = learned ? 0 : parts.config.warmupEpochs;
    this.baseline = learned?.baseline;
    this.epochs = learned?.epochs ?? 0;
    this.explored = learned?.explored ?? 0;
    const shift = parts.config.shiftDetection;
    this.shift = shift.enabled ? new RewardShift(shift.epochs, shift.margin) : undefined;
    parts.metrics.watch(() => this.readout());
  }

  /** Arm in play (index into the arm list); undefined between epochs. */
  get currentArm(): number | undefined {
    return this.epoch?.arm;
  }

  get epochCount(): number {
    return this.epochs;
  }

  get exploredEpochs(): number {
    return this.explored;
  }

  /** Times each arm was learned from, by arm index. */
  pulls(): number[] {
    return this.parts.arms.map((_, i) => this.bandit.pulls(i));
  }

  next(state: BatchState): BatchShape {
    this.epoch ??= this.startEpoch(state);
    return this.parts.arms[this.epoch.arm]!.shape;
  }

  record(feedback: BatchFeedback): void {
    const epoch = this.epoch;
    if (!epoch) return;
    if (epoch.stale > 0) {
      epoch.stale--;
      return;
    }
    if (this.scale === undefined) epoch.rates.push(feedback.ok === false ? 0 : usefulRate(feedback));
    else epoch.rewards.push(batchReward(feedback, this.parts.targets, this.scale, this.parts.config.latencyPenalty));
    if (epoch.rates.length + epoch.rewards.length >= this.parts.config.epochBatches) this.finishEpoch(epoch);
  }

  async flush(): Promise<void> {
    this.sinceSaved = 0;
    await this.parts.persist?.(this.state());
  }

  state(): RlState {
    const stats = this.bandit.snapshot();
    return {
      version: 1,
      arms: this.parts.arms.map((arm, i) => ({ key: arm.key, inverse: [...stats[i]!.inverse], rewards: [...stats[i]!.rewards], pulls: stats[i]!.pulls })),
      scale: this.scale ?? 1,
      ...(this.baseline === undefined ? {} : { baseline: this.baseline }),
      epochs: this.epochs,
      explored: this.explored,
    };
  }

  readout(): RlReadout {
    const recentMean = this.recent.length === 0 ? Number.NaN : mean(this.recent);
    return {
      explorationRatio: this.epochs === 0 ? 0 : this.explored / this.epochs,
      rewardVsStatic: this.baseline ? recentMean / this.baseline : Number.NaN,
      fallback: this.cooldown > 0,
      shape: this.parts.arms[this.epoch?.arm ?? 0]!.shape,
    };
  }

  private startEpoch(state: BatchState): Epoch {
    const context = contextOf(state, this.parts.targets);
    const { arm, kind } = this.decide(context);
    this.parts.metrics.epochs.inc({ kind });
    return { arm, kind, context, stale: state.inFlightBatches ?? 0, rewards: [], rates: [] };
  }

  private decide(context: readonly number[]): { arm: number; kind: EpochKind } {
    if (this.scale === undefined) return { arm: 0, kind: 'static' };
    if (this.cooldown > 0) {
      this.cooldown--;
      return { arm: 0, kind: 'fallback' };
    }
    const { optimistic, greedy } = this.bandit.choose(context);
    if (optimistic === greedy) return { arm: greedy, kind: 'greedy' };
    const withinCap = this.explored + 1 <= this.parts.config.explorationCap * (this.epochs + 1);
    return withinCap ? { arm: optimistic, kind: 'explore' } : { arm: greedy, kind: 'greedy' };
  }

  private finishEpoch(epoch: Epoch): void {
    this.epoch = undefined;
    this.epochs++;
    if (epoch.kind === 'explore') this.explored++;
    if (this.scale === undefined) {
      this.warmupRates.push(...epoch.rates);
      const rate = mean(this.warmupRates);
      if (--this.warmupLeft <= 0 && rate > 0) this.scale = rate;
      return;
    }
    const reward = mean(epoch.rewards);
    // Residual against what the arm was expected to earn, before this epoch is learned. Only
    // greedy epochs on an arm the bandit is sure of count: an explored arm is expected to surprise.
    if (epoch.kind === 'greedy' && this.bandit.uncertainty(epoch.arm, epoch.context) <= KNOWN_ARM_UNCERTAINTY) {
      if (this.shift?.add(reward - 1 - this.bandit.mean(epoch.arm, epoch.context))) this.shifted();
    }
    this.bandit.discount(this.parts.config.discount);
    // Learned relative to the static rate (reward 1): ridge regression shrinks towards 0, so an
    // arm played a few times is taken as "about as good as static", not as worthless.
    this.bandit.update(epoch.arm, epoch.context, reward - 1);
    this.parts.metrics.lastReward.set(reward);
    if (epoch.arm === 0) this.baseline = this.baseline === undefined ? reward : this.baseline + BASELINE_SMOOTHING * (reward - this.baseline);
    if (epoch.kind !== 'static' && epoch.kind !== 'fallback') this.watchForCollapse(reward);
    if (++this.sinceSaved >= this.parts.config.persistEveryEpochs) void this.flush().catch(() => undefined); // persist reports its own failures
  }

  /**
   * The load changed under the agent: scale down every arm's evidence, and measure the static arm
   * again for `shiftDetection.rebaselineEpochs`, as in the warm-up: its useful rate under the new
   * load becomes the reward unit, so "1 = as good as static" (where the ridge prior puts an arm
   * played little) holds again, and the collapse check compares with what static earns now. Left
   * in the old unit, a device at a third of its speed makes every arm look worse than the prior,
   * the least-played arm looks best, and the agent wanders.
   */
  private shifted(): void {
    this.bandit.discount(this.parts.config.shiftDetection.keep);
    this.scale = undefined;
    this.warmupRates = [];
    this.warmupLeft = this.parts.config.shiftDetection.rebaselineEpochs;
    this.baseline = undefined;
    this.recent = [];
    this.cooldown = 0;
    this.parts.metrics.shifts.inc();
  }

  private watchForCollapse(reward: number): void {
    if (this.baseline !== undefined) this.parts.metrics.learningCost.inc(Math.max(0, this.baseline - reward));
    this.recent.push(reward);
    if (this.recent.length > this.parts.config.collapseWindow) this.recent.shift();
    if (this.baseline === undefined || this.recent.length < this.parts.config.collapseWindow) return;
    if (mean(this.recent) < this.baseline - this.parts.config.collapseMargin) {
      this.cooldown = this.parts.config.cooldownEpochs;
      this.recent = [];
      this.parts.metrics.collapses.inc();
    }
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
