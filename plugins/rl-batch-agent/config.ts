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
