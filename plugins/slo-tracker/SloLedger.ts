import { BucketRing } from './BucketRing.js';
import { budgetRemaining, type WindowCounts } from './burnMath.js';
import type { Duration } from './duration.js';
import type { SloDefinition, Verdict } from './objectives.js';

const VALID = 0;
const BAD = 1;

/** Slot sizes and spans for one ledger's two rings. */
export interface LedgerLayout {
  /** Recent windows (burn rates): `bucket`-sized slots spanning the longest burn-rate window. */
  readonly bucket: Duration;
  readonly recentSpan: Duration;
  /** The SLO period (error budget): coarser slots, so 30 days stay small. */
  readonly periodBucket: Duration;
  readonly period: Duration;
}

/**
 * The counts behind one SLO: valid and bad events in two rings, recent and whole-period, plus
 * lifetime totals for the Prometheus counter. Recording is a few array writes; all ratios are
 * computed when read (at scrape time).
 */
export class SloLedger {
  private readonly recent: BucketRing;
  private readonly whole: BucketRing;
  private good = 0;
  private badTotal = 0;

  constructor(
    readonly slo: SloDefinition,
    private readonly layout: LedgerLayout,
  ) {
    this.recent = new BucketRing(layout.bucket.ms, layout.recentSpan.ms / layout.bucket.ms, 2);
    this.whole = new BucketRing(layout.periodBucket.ms, layout.period.ms / layout.periodBucket.ms, 2);
  }

  record(nowMs: number, verdict: Verdict): void {
    if (verdict === 'excluded') return;
    this.recent.add(nowMs, VALID);
    this.whole.add(nowMs, VALID);
    if (verdict === 'good') {
      this.good++;
      return;
    }
    this.recent.add(nowMs, BAD);
    this.whole.add(nowMs, BAD);
    this.badTotal++;
  }

  /** Valid and bad events in the window ending now; served by whichever ring has its granularity. */
  counts(nowMs: number, window: Duration): WindowCounts {
    const ring = window.ms <= this.recent.spanMs && window.ms % this.recent.bucketMs === 0 ? this.recent : this.whole;
    const sums = ring.sum(nowMs, Math.ceil(window.ms / ring.bucketMs));
    return { valid: sums[VALID]!, bad: sums[BAD]! };
  }

  budgetRemaining(nowMs: number): number {
    return budgetRemaining(this.counts(nowMs, this.layout.period), this.slo.objective);
  }

  /** Since start, for `embedline_slo_requests_total`. */
  get lifetime(): { readonly good: number; readonly bad: number } {
    return { good: this.good, bad: this.badTotal };
  }
}
