/**
 * Mean absolute percentage error over the last `size` predictions. Each prediction is made
 * before the model learns from that batch, so every figure is out of sample.
 *
 * @example
 * const mape = new ErrorWindow(100);
 * mape.add(predictedMs, observedMs);
 * mape.value(); // 0.04 = 4 %
 */
export class ErrorWindow {
  private readonly errors: number[] = [];
  private sum = 0;

  constructor(private readonly size: number) {}

  add(predictedMs: number, observedMs: number): void {
    if (observedMs <= 0) return;
    const error = Math.abs(predictedMs - observedMs) / observedMs;
    this.errors.push(error);
    this.sum += error;
    if (this.errors.length > this.size) this.sum -= this.errors.shift()!;
  }

  get count(): number {
    return this.errors.length;
  }

  /** NaN until something was measured. */
  value(): number {
    return this.errors.length === 0 ? Number.NaN : this.sum / this.errors.length;
  }
}
