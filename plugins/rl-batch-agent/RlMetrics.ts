import { Counter, Gauge, Registry } from 'prom-client';

export type EpochKind = 'static' | 'greedy' | 'explore' | 'fallback';

/** What the agent exposes at scrape time. */
export interface RlReadout {
  readonly explorationRatio: number;
  readonly rewardVsStatic: number;
  readonly fallback: boolean;
  readonly shape: { readonly maxBatchSize: number; readonly maxWaitMs: number; readonly maxPaddingRatio: number };
}

/**
 * The agent's Prometheus metrics on a Registry of its own (bound to METRICS_REGISTRY).
 *
 * @example
 * const metrics = new RlMetrics();
 * metrics.epochs.inc({ kind: 'explore' });
 */
export class RlMetrics {
  readonly registry = new Registry();
  private readout: () => RlReadout | undefined = () => undefined;

  readonly epochs = new Counter<'kind'>({ name: 'embedline_rl_batch_agent_epochs_total', help: 'Decisions by kind: static (warm-up), greedy, explore, fallback (after a reward collapse).', labelNames: ['kind'], registers: [this.registry] });
  readonly collapses = new Counter({ name: 'embedline_rl_batch_agent_collapses_total', help: 'Times the recent reward fell collapseMargin below the static arm reward and the agent fell back to the static arm.', registers: [this.registry] });
  /** Static's smoothed reward minus each learning epoch's, summed: what learning has cost so far. */
  readonly learningCost = new Counter({ name: 'embedline_rl_batch_agent_learning_cost_total', help: 'Sum over non-static epochs of (static reward - epoch reward) where positive, in static-rate units.', registers: [this.registry] });
  readonly shifts = new Counter({ name: 'embedline_rl_batch_agent_shifts_total', help: 'Times the played arm\'s reward stayed off its predicted mean for shiftDetection.epochs epochs; each discounts every arm\'s evidence by shiftDetection.keep.', registers: [this.registry] });
  readonly lastReward = new Gauge({ name: 'embedline_rl_batch_agent_reward', help: 'Reward of the last finished epoch (1 = static shape\'s useful tokens/s, minus latency penalty).', registers: [this.registry] });

  constructor() {
    const read = (): RlReadout | undefined => this.readout();
    const gauge = (name: string, help: string, pick: (r: RlReadout) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const r = read();
          if (r) this.set(pick(r));
        },
      });
    };
    gauge('embedline_rl_batch_agent_exploration_ratio', 'Share of decisions that went to an arm other than the best guess (capped by explorationCap).', (r) => r.explorationRatio);
    gauge('embedline_rl_batch_agent_reward_vs_static_ratio', 'Recent mean reward divided by the static arm\'s (NaN until both are known).', (r) => r.rewardVsStatic);
    gauge('embedline_rl_batch_agent_fallback', '1 while the agent serves the static arm after a reward collapse.', (r) => (r.fallback ? 1 : 0));
    gauge('embedline_rl_batch_agent_max_batch_size', 'Batch size limit of the arm in play.', (r) => r.shape.maxBatchSize);
    // Seconds, not ms: promtool check metrics rejects abbreviated units in names.
    gauge('embedline_rl_batch_agent_max_wait_seconds', 'Wait limit of the arm in play, in seconds.', (r) => r.shape.maxWaitMs / 1000);
    gauge('embedline_rl_batch_agent_max_padding_ratio', 'Padding limit of the arm in play.', (r) => r.shape.maxPaddingRatio);
  }

  watch(readout: () => RlReadout): void {
    this.readout = readout;
  }
}
