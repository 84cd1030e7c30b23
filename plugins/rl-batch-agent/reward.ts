import type { BatchFeedback } from '../../core/ports/BatchSizePolicy.js';
import type { LatencyTargets } from '../../core/adaptive/index.js';

/** A failed batch is worth this much: worse than any slow batch the penalty would normally give. */
export const FAILED_BATCH_REWARD = -1;

/**
 * Useful (unpadded) tokens per second of device time, divided by `scale` (the static shape's
 * rate, so 1 means "as good as static"), minus `penalty` for every 100 % the batch's latency
 * (its texts' mean queue wait plus dispatch-to-result time) is over its priority's target.
 *
 * @example
 * batchReward(feedback, { critical: 300, normal: 1500, background: 6000 }, 20_000, 2);
 */
export function batchReward(feedback: BatchFeedback, targets: LatencyTargets, scale: number, penalty: number): number {
  if (feedback.ok === false) return FAILED_BATCH_REWARD;
  const seconds = Math.max(feedback.inferMs, 1e-3) / 1000;
  const rate = feedback.realTokens / seconds / scale;
  const target = targets[feedback.priority ?? 'normal'];
  const latency = feedback.queueWaitMs + (feedback.durationMs ?? feedback.inferMs);
  return rate - penalty * Math.max(0, latency / target - 1);
}

/** Raw useful tokens per second of device time, before scaling. */
export function usefulRate(feedback: BatchFeedback): number {
  return feedback.realTokens / (Math.max(feedback.inferMs, 1e-3) / 1000);
}
