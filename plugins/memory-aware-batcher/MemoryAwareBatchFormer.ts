import type { BatchFormer, FormLimits } from '../../core/ports/BatchFormer.js';
import type { WorkItem } from '../../core/pipeline/types.js';
import { LengthAwareBatchFormer } from '../../core/adaptive/index.js';
import { estimateBatchBytes } from './memoryEstimate.js';
import type { MemoryAwareMetrics } from './MemoryAwareMetrics.js';
import type { ModelDimensions } from './modelDimensions.js';

/**
 * The default length-aware former with one more limit: a batch stops growing before its
 * estimated activation memory (memoryEstimate) would pass `batchBudgetBytes`. Short texts batch
 * as before; long ones get fewer rows, because attention memory grows with rows × len². A single
 * text over the budget still goes, alone (a text cannot be split), and is counted.
 *
 * @example
 * const former = new MemoryAwareBatchFormer(dims, 256 * 1024 * 1024, 4, metrics);
 * former.form(queue, limits); // never more than 256 MiB estimated, unless one text alone is
 */
export class MemoryAwareBatchFormer implements BatchFormer {
  private readonly lengthAware = new LengthAwareBatchFormer();

  constructor(
    private readonly dims: ModelDimensions,
    readonly batchBudgetBytes: number,
    private readonly bytesPerElement: number,
    private readonly metrics: MemoryAwareMetrics,
  ) {}

  /** Estimated peak bytes of a batch shape. */
  estimate(rows: number, seqLen: number): number {
    return estimateBatchBytes(this.dims, rows, seqLen, this.bytesPerElement);
  }

  form(queue: readonly WorkItem[], limits: FormLimits): WorkItem[] {
    let capped = false;
    const batch = this.lengthAware.form(queue, limits, (rows, longest) => {
      const fits = this.estimate(rows, longest) <= this.batchBudgetBytes;
      if (!fits) capped = true;
      return fits;
    });
    const longest = batch.reduce((max, item) => Math.max(max, item.ids.length), 0);
    const bytes = this.estimate(batch.length, longest);
    this.metrics.formed(bytes, capped, bytes > this.batchBudgetBytes);
    return batch;
  }
}
