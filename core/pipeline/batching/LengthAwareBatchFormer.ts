import { injectable } from 'inversify';
import { withinLimits, type BatchLimits } from '../../encoder/batchPlanner.js';
import type { BatchFormer, FormLimits } from '../../ports/BatchFormer.js';
import type { WorkItem } from '../types.js';

/** Extra limit a former can add on top of size, tokens and padding: rows × longest row allowed? */
export type ExtraLimit = (rows: number, longest: number) => boolean;

/**
 * The default former. The oldest text always goes now (FIFO fairness); the rest of the batch
 * is grown from texts of similar length among the next `lookahead × maxBatchSize` of the class,
 * each step taking whichever neighbour (shorter or longer) adds the fewest padded tokens, and
 * stopping before padding would pass `maxPaddingRatio` of the batch. Padding is the cost that
 * matters on real text: one long text in a FIFO batch pads every row to its length, and even
 * sorted batches of 64 spent 30% of their tokens on padding (docs/BENCHMARKS.md, "Pipeline batching").
 */
@injectable()
export class LengthAwareBatchFormer implements BatchFormer {
  form(queue: readonly WorkItem[], limits: FormLimits, extra: ExtraLimit = () => true): WorkItem[] {
    const head = queue[0]!;
    const window = queue.slice(0, limits.maxBatchSize * limits.lookahead).filter((it) => it.variant === head.variant && !it.isCancelled());
    const byLength = [...window].sort((a, b) => a.ids.length - b.ids.length);
    let lo = byLength.indexOf(head);
    let hi = lo;
    let longest = head.ids.length;
    let real = longest;
    const batchLimits: BatchLimits = { maxBatchSize: limits.maxBatchSize, maxBatchTokens: limits.maxBatchTokens, maxPaddingRatio: limits.maxPaddingRatio };
    // Padded cells the batch would hold beyond its real tokens with `candidate` added.
    const wasteWith = (candidate: WorkItem | undefined): number => (candidate ? (hi - lo + 2) * Math.max(longest, candidate.ids.length) - real - candidate.ids.length : Infinity);
    for (;;) {
      const below = byLength[lo - 1];
      const above = byLength[hi + 1];
      const takeAbove = wasteWith(above) <= wasteWith(below);
      const candidate = takeAbove ? above : below;
      if (!candidate) break;
      const nextLongest = Math.max(longest, candidate.ids.length);
      if (!withinLimits(hi - lo + 2, nextLongest, real + candidate.ids.length, batchLimits) || !extra(hi - lo + 2, nextLongest)) break;
      longest = nextLongest;
      real += candidate.ids.length;
      if (takeAbove) hi++;
      else lo--;
    }
    return byLength.slice(lo, hi + 1);
  }
}
