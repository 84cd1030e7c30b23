import type { BatchShape } from '../../core/ports/BatchSizePolicy.js';

export interface PlanLimits {
  readonly maxBatchSizeLimit: number;
  readonly maxWaitLimitMs: number;
  /** Share of the latency budget kept for waiting. */
  readonly waitShare: number;
}

export type LatencyPredictor = (rows: number, seqLen: number) => number;

/**
 * The batch size with the highest predicted throughput (rows × len / predicted ms) whose
 * predicted inference fits `(1 − waitShare)` of the latency budget; the wait is what the budget
 * leaves after that inference, capped. The token budget is rows × `referenceLength`, so a batch
 * of longer texts takes proportionally fewer rows and stays near the predicted time.
 *
 * With positive weights the model's throughput only rises with rows (the fixed cost is
 * amortised), so the latency target is what usually binds; a fit with a negative per-row term
 * has its optimum inside the range, so the search scans every size rather than assuming the
 * largest feasible one is best.
 *
 * @example
 * planShape((rows, len) => 5 + 0.01 * rows * len, 64, 300, { maxBatchSizeLimit: 128, maxWaitLimitMs: 20, waitShare: 0.25 });
 */
export function planShape(predict: LatencyPredictor, referenceLength: number, budgetMs: number, limits: PlanLimits): BatchShape {
  const length = Math.max(1, Math.round(referenceLength));
  const inferenceBudget = budgetMs * (1 - limits.waitShare);
  let best = 1;
  let bestRate = -Infinity;
  for (let rows = 1; rows <= limits.maxBatchSizeLimit; rows++) {
    const predicted = predict(rows, length);
    if (rows > 1 && predicted > inferenceBudget) break;
    const rate = (rows * length) / Math.max(predicted, 1e-3);
    if (rate > bestRate) {
      best = rows;
      bestRate = rate;
    }
  }
  const slack = Math.max(0, budgetMs - predict(best, length));
  return {
    maxBatchSize: best,
    maxBatchTokens: best * length,
    maxWaitMs: Math.min(limits.maxWaitLimitMs, slack),
  };
}
