import type { BatchState } from '../../core/ports/BatchSizePolicy.js';
import { tightestTarget, type LatencyTargets } from '../../core/adaptive/index.js';

export const CONTEXT_SIZE = 5;

/**
 * The queue state as the bandit sees it, each feature in [0, 1]: a bias, queue depth (log
 * scale: 1 text and 1000 texts are different regimes, 500 and 1000 are not), batches in flight,
 * the share of queued texts that are critical, and how much of its target the oldest text of
 * the tightest waiting priority has already spent.
 */
export function contextOf(state: BatchState, targets: LatencyTargets): number[] {
  const by = state.byPriority;
  const depth = state.queuedTexts;
  const critical = by && depth > 0 ? by.critical.depth / depth : 0;
  const target = tightestTarget(targets, by);
  const oldest = by ? Math.max(by.critical.oldestWaitMs, by.normal.oldestWaitMs, by.background.oldestWaitMs) : 0;
  return [1, Math.min(1, Math.log2(1 + depth) / 12), Math.min(1, (state.inFlightBatches ?? 0) / 8), critical, Math.min(1, oldest / target)];
}
