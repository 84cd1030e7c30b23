/**
 * Notices that rewards no longer match what the bandit learned: the played arm's reward is off
 * its predicted mean by more than `margin` (reward units: 1 = the static shape's rate), on the
 * same side, for `epochs` epochs in a row. A device that slows to a third lowers every arm's
 * reward; texts four times longer turn a good large-batch arm into one that misses its latency
 * target. One bad epoch (a GC pause) is not a shift, nor is noise that flips sign.
 *
 * @example
 * const shift = new RewardShift(5, 0.3);
 * if (shift.add(reward - bandit.mean(arm, context))) bandit.discount(0.1);
 */
export class RewardShift {
  private readonly recent: number[] = [];

  constructor(
    private readonly epochs: number,
    private readonly margin: number,
  ) {}

  /** Adds one epoch's residual (reward − predicted); true when the last `epochs` agree (then it starts over). */
  add(residual: number): boolean {
    this.recent.push(residual);
    if (this.recent.length > this.epochs) this.recent.shift();
    if (this.recent.length < this.epochs) return false;
    const sustained = this.recent.every((r) => r > this.margin) || this.recent.every((r) => r < -this.margin);
    if (sustained) this.recent.length = 0;
    return sustained;
  }
}
