/**
 * Notices that the cost curve has moved: the latency model's out-of-sample error stays high for
 * `batches` batches in a row. Forgetting alone (the model's λ) needs hundreds of batches to let
 * go of a curve it learned over thousands; a device that slows to a third, or texts that grow
 * four times longer than anything the fit saw, need a reset now. A single slow batch (a GC pause,
 * a noisy neighbour) is not a shift: every one of the last `batches` errors must be above the
 * threshold, which is `minError` or `factor` × the error the model usually makes, whichever is
 * larger (a model that is always 20 % off is not shifting when it is 25 % off).
 *
 * @example
 * const shifts = new ShiftDetector(6, 0.3, 2.5);
 * if (shifts.add(Math.abs(predicted - observed) / observed, usualMape)) model.reopen();
 */
export class ShiftDetector {
  private readonly recent: number[] = [];

  constructor(
    private readonly batches: number,
    private readonly minError: number,
    private readonly factor: number,
  ) {}

  /** Adds one batch's relative error; true when the last `batches` all passed the threshold (then it starts over). */
  add(error: number, usualError: number): boolean {
    this.recent.push(error);
    if (this.recent.length > this.batches) this.recent.shift();
    const threshold = Math.max(this.minError, this.factor * (Number.isFinite(usualError) ? usualError : 0));
    if (this.recent.length < this.batches || this.recent.some((e) => e <= threshold)) return false;
    this.recent.length = 0;
    return true;
  }
}
