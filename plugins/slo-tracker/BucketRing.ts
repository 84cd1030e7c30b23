/**
 * Event counts in fixed time slots, kept in a ring: the slot for time `t` is bucket
 * `floor(t / bucketMs)` modulo the ring size, stamped with that bucket number. A slot whose stamp
 * is old reads as zero and is cleared on its next write, so nothing runs on a timer and a window
 * sum costs one pass over its slots. Counts per slot are `fields` numbers (here: valid, bad).
 *
 * @example
 * const ring = new BucketRing(60_000, 360, 2);   // 6 h of 1-minute slots
 * ring.add(clock(), 0);                           // one valid event now
 * const [valid, bad] = ring.sum(clock(), 5);      // the last 5 slots, the current one included
 */
export class BucketRing {
  private readonly stamps: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    readonly bucketMs: number,
    readonly slots: number,
    readonly fields: number,
  ) {
    // NaN never equals a bucket number, so every slot starts empty.
    this.stamps = new Float64Array(slots).fill(Number.NaN);
    this.counts = new Float64Array(slots * fields);
  }

  /** The span the ring can answer for. */
  get spanMs(): number {
    return this.bucketMs * this.slots;
  }

  add(nowMs: number, field: number, amount = 1): void {
    const bucket = Math.floor(nowMs / this.bucketMs);
    const slot = this.slotOf(bucket);
    const base = slot * this.fields;
    if (this.stamps[slot] !== bucket) {
      this.stamps[slot] = bucket;
      this.counts.fill(0, base, base + this.fields);
    }
    this.counts[base + field]! += amount;
  }

  /**
   * Each field summed over the `buckets` most recent slots, the current (partial) one included:
   * an event at time `t` counts while `floor(now / bucketMs) - floor(t / bucketMs) < buckets`.
   */
  sum(nowMs: number, buckets: number): Float64Array {
    const out = new Float64Array(this.fields);
    const current = Math.floor(nowMs / this.bucketMs);
    const from = current - Math.min(buckets, this.slots) + 1;
    for (let bucket = from; bucket <= current; bucket++) {
      const slot = this.slotOf(bucket);
      if (this.stamps[slot] !== bucket) continue;
      const base = slot * this.fields;
      for (let f = 0; f < this.fields; f++) out[f]! += this.counts[base + f]!;
    }
    return out;
  }

  private slotOf(bucket: number): number {
    return ((bucket % this.slots) + this.slots) % this.slots;
  }
}
