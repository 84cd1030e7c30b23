import type { BatchFormer, FormLimits } from '../../core/ports/BatchFormer.js';
import type { WorkItem } from '../../core/pipeline/types.js';
import { LengthAwareBatchFormer } from '../../core/adaptive/index.js';
import type { DeviceBatchBudget } from './DeviceBatchBudget.js';
import { estimateBatchBytes } from './memoryEstimate.js';
import type { MemoryAwareMetrics } from './MemoryAwareMetrics.js';
import type { ModelDimensions } from './modelDimensions.js';

/**
 * The default length-aware former with one more limit: a batch stops growing before its
 * estimated activation memory (memoryEstimate) would pass its budget, the smallest per-batch share
 * among the devices that run its model variant (DeviceBatchBudget, from what the devices reported
 * into the memory port). Short texts batch as before; long ones get fewer rows, because attention
 * memory grows with rows × len². A single text over the budget still goes, alone (a text cannot
 * be split), and is counted.
 *
 * @example
 * const former = new MemoryAwareBatchFormer(dims, budget, 4, metrics);
 * former.form(queue, limits); // never more than the budget estimated, unless one text alone is
 */
export class MemoryAwareBatchFormer implements BatchFormer {
  private readonly lengthAware = new LengthAwareBatchFormer();

  constructor(
    private readonly dims: ModelDimensions,
    private readonly budget: DeviceBatchBudget,
    private readonly bytesPerElement: number,
    private readonly metrics: MemoryAwareMetrics,
  ) {}

  /** Bytes one batch of `variant` may use now. */
  budgetFor(variant: WorkItem['variant']): number {
    return this.budget.for(variant).bytes;
  }

  /** Estimated peak bytes of a batch shape. */
  estimate(rows: number, seqLen: number): number {
    return estimateBatchBytes(this.dims, rows, seqLen, this.bytesPerElement);
  }

  form(queue: readonly WorkItem[], limits: FormLimits): WorkItem[] {
    const budget = this.budget.for(queue[0]!.variant).bytes;
    let capped = false;
    const batch = this.lengthAware.form(queue, limits, (rows, longest) => {
      const fits = this.estimate(rows, longest) <= budget;
      if (!fits) capped = true;
      return fits;
    });
    const longest = batch.reduce((max, item) => Math.max(max, item.ids.length), 0);
    const bytes = this.estimate(batch.length, longest);
    this.metrics.formed(bytes, budget, capped, bytes > budget);
    return batch;
  }
}
