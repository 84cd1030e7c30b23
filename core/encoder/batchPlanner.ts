/** Limits for one inference batch. Padded tokens = items × longest item. */
export interface BatchLimits {
  readonly maxBatchSize: number;
  readonly maxBatchTokens: number;
  /** A batch is cut before padded cells would pass this share of it; absent = no limit. */
  readonly maxPaddingRatio?: number;
}

/**
 * Groups items into batches of similar token length so padding stays near zero: on real
 * mixed-length text, batches in input order were ~74% padding. Items are sorted by length and
 * cut into runs, a run ending at `maxBatchSize` items, at `maxBatchTokens` padded cells, or where
 * the next (longer) item would make padding pass `maxPaddingRatio` of the batch.
 * Returns index lists into `lengths`, each batch ordered shortest first.
 *
 * @example
 * planBatches([5, 90, 6, 88], { maxBatchSize: 2, maxBatchTokens: 1024 }); // [[0, 2], [3, 1]]
 */
/**
 * Whether a batch of `rows` rows, the longest `longest` word pieces and `real` word pieces in
 * all, keeps to the limits: rows, padded cells (rows × longest), and padding's share of the cells.
 * The one rule both the encoder's planner and the pipeline's batcher grow batches by.
 */
export function withinLimits(rows: number, longest: number, real: number, limits: BatchLimits): boolean {
  const cells = rows * longest;
  return rows <= limits.maxBatchSize && cells <= limits.maxBatchTokens && cells - real <= (limits.maxPaddingRatio ?? 1) * cells;
}

export function planBatches(lengths: ArrayLike<number>, limits: BatchLimits): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let real = 0;
  for (const index of order) {
    // Sorted ascending, so the new item is the batch's longest.
    const longest = lengths[index]!;
    if (current.length > 0 && !withinLimits(current.length + 1, longest, real + longest, limits)) {
      batches.push(current);
      current = [];
      real = 0;
    }
    current.push(index);
    real += longest;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Share of a batch's tensor cells that are padding, for metrics and benchmarks. */
export function paddingFraction(batchLengths: readonly number[]): number {
  if (batchLengths.length === 0) return 0;
  const longest = Math.max(...batchLengths);
  const real = batchLengths.reduce((sum, n) => sum + n, 0);
  return 1 - real / (longest * batchLengths.length);
}
