import { z } from 'zod';

const targetMs = z.number().positive().max(600_000);
const list = (item: z.ZodNumber, fallback: number[]) => z.array(item).min(1).max(8).default(fallback);

/**
 * `pluginOptions.rl-batch-agent`. The arms are the cartesian product of the three lists (at most
 * 8 × 8 × 8, in practice a few dozen), plus the static shape from `batching.*`, which is always
 * an arm: the agent can always go back to it.
 */
export const rlBatchAgentConfigSchema = z.strictObject({
  arms: z
    .strictObject({
      maxBatchSize: list(z.number().int().min(1).max(4096), [4, 8, 16, 32, 64]),
      maxWaitMs: list(z.number().min(0).max(10_000), [0, 2, 8]),
      maxPaddingRatio: list(z.number().min(0).max(1), [0.05, 0.2]),
    })
    .prefault({}),
  /** As in predictive-batch-size: unset targets are 1 % / 5 % / 20 % of `batching.requestTimeoutMs`. */
  latencyTargetMs: z.strictObject({ critical: targetMs.optional(), normal: targetMs.optional(), background: targetMs.optional() }).prefault({}),
  /** Reward lost per 100 % a batch's latency is over its target (reward 1 ≈ the static shape's rate). */
  latencyPenalty: z.number().min(0).default(2),
  /** LinUCB's confidence width: larger explores more. */
  ucbWidth: z.number().min(0).default(0.5),
  /** Batches one decision (an epoch) lasts; its reward is their mean. */
  epochBatches: z.number().int().min(1).max(1000).default(4),
  /**
   * Discounted LinUCB's γ: after every epoch each arm's evidence is scaled by it (A ← γA + (1−γ)I,
   * b ← γb), so an arm's estimate rests on about the last 1 / (1 − γ) epochs it was played. 1 =
   * never forget gradually, the default: on the fake device γ = 0.995 cost stationary
   * convergence (the best arm in 165 of the last 200 epochs instead of 180) and re-learned a
   * slowed device no faster than `shiftDetection` alone, which handles sudden changes.
   */
  discount: z.number().min(0.5).max(1).default(1),
  /**
   * When the played arm's reward misses its predicted mean by more than `margin` on the same
   * side for `epochs` epochs in a row, every arm's evidence is scaled by `keep`: the agent
   * re-learns which arm is best for the new load (a slowed device, longer texts) in tens of
   * epochs instead of as many as it has already played. Then it plays the static arm for
   * `rebaselineEpochs` to learn what static earns under the new load.
   */
  shiftDetection: z
    .strictObject({
      enabled: z.boolean().default(true),
      epochs: z.number().int().min(2).max(100).default(4),
      margin: z.number().positive().default(0.3),
      keep: z.number().min(0).max(1).default(0.1),
      /** Epochs on the static arm after a shift, to measure the baseline the collapse check uses anew. */
      rebaselineEpochs: z.number().int().min(1).max(100).default(3),
    })
    .prefault({}),
  /** Epochs on the static arm first, to learn the reward scale. */
  warmupEpochs: z.number().int().min(1).default(5),
  /** Most epochs that may go to an arm other than the current best guess, as a share of all. */
  explorationCap: z.number().min(0).max(1).default(0.1),
  /**
   * Fall back to the static arm when the recent mean reward is this far below static's, in
   * reward units (1 = the static shape's useful tokens/s): 0.4 = 40 % of static's rate lost.
   * A margin, not a ratio, because a latency penalty can make static's own reward negative.
   */
  collapseMargin: z.number().positive().default(0.4),
  /** Epochs the collapse check averages over. */
  collapseWindow: z.number().int().min(1).default(10),
  /** Epochs spent on the static arm after a collapse before learning resumes. */
  cooldownEpochs: z.number().int().min(1).default(25),
  persistEveryEpochs: z.number().int().min(1).default(16),
  stateFile: z.string().regex(/^[\w.-]+\.json$/, 'a plain file name ending in .json').default('rl-batch-agent.json'),
});

export type RlBatchAgentConfig = z.output<typeof rlBatchAgentConfigSchema>;
