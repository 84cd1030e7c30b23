/**
 * Measured service rate in real tokens per second across all devices: each finished batch's
 * own rate (real tokens ÷ its duration), smoothed, times the number of batches that run at
 * once. Per batch rather than per wall-clock window, so an idle spell does not read as a slow
 * service, and long texts (which cost more per token) lower it as they arrive.
 */
export class ThroughputEstimator {
  private rate: number | undefined;

  constructor(
    private readonly parallelism: number,
    /** Weight of the newest batch in the moving average. */
    private readonly alpha = 0.2,
  ) {}

  record(realTokens: number, durationMs: number): void {
    if (realTokens <= 0 || durationMs <= 0) return;
    const sample = (realTokens * 1000) / durationMs;
    this.rate = this.rate === undefined ? sample : this.rate + this.alpha * (sample - this.rate);
  }

  /** Tokens per second the service finishes; undefined until a batch has been measured. */
  tokensPerSecond(): number | undefined {
    return this.rate === undefined ? undefined : this.rate * this.parallelism;
  }
}
