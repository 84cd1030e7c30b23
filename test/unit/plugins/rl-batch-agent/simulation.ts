import type { BatchFeedback } from '../../../../core/ports/BatchSizePolicy.js';
import type { RlBatchAgentPolicy } from '../../../../plugins/rl-batch-agent/RlBatchAgentPolicy.js';
import type { CostCurveDevice } from '../predictive-batch-size/costCurveDevice.js';

/** The queue the simulated batcher sees: always more texts than any arm takes (heavy load). */
export const BUSY_QUEUE = {
  queuedTexts: 500,
  byPriority: { critical: { depth: 0, oldestWaitMs: 0 }, normal: { depth: 500, oldestWaitMs: 3 }, background: { depth: 0, oldestWaitMs: 0 } },
  inFlightBatches: 0,
} as const;

export const SEQ_LEN = 64;

/**
 * What a batch of a shape yields on the fake device under heavy load: full rows, useful tokens
 * lower the more padding the shape allows (a loose limit mixes lengths), latency = half the
 * wait (mean time a text waits for company) + inference.
 */
export function simulatedBatch(device: CostCurveDevice, shape: { maxBatchSize: number; maxWaitMs: number; maxPaddingRatio?: number | undefined }): BatchFeedback {
  const run = device.run(shape.maxBatchSize, SEQ_LEN);
  const realTokens = Math.round(shape.maxBatchSize * SEQ_LEN * (1 - 0.5 * (shape.maxPaddingRatio ?? 0.05)));
  return { ...run, realTokens, queueWaitMs: shape.maxWaitMs / 2, durationMs: run.inferMs, priority: 'normal' };
}

/** The reward a shape earns on the noiseless curve, in the agent's terms (scale = the static arm's rate). */
export function trueReward(device: CostCurveDevice, shape: { maxBatchSize: number; maxWaitMs: number; maxPaddingRatio?: number | undefined }, scale: number, targetMs: number, penalty: number): number {
  const ms = device.trueMs(shape.maxBatchSize, SEQ_LEN);
  const rate = (shape.maxBatchSize * SEQ_LEN * (1 - 0.5 * (shape.maxPaddingRatio ?? 0.05))) / (ms / 1000) / scale;
  return rate - penalty * Math.max(0, (shape.maxWaitMs / 2 + ms) / targetMs - 1);
}

/** Runs `epochs` decisions of `batches` batches each; returns the arm index played per epoch. */
export function runEpochs(policy: RlBatchAgentPolicy, device: CostCurveDevice, epochs: number, batches: number, onEpoch?: () => void): number[] {
  const played: number[] = [];
  for (let e = 0; e < epochs; e++) {
    policy.next(BUSY_QUEUE);
    played.push(policy.currentArm!);
    for (let b = 0; b < batches; b++) policy.record(simulatedBatch(device, policy.next(BUSY_QUEUE)));
    onEpoch?.();
  }
  return played;
}
