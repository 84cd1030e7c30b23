/**
 * A device's throughput in padded tokens per second, smoothed over batches (EWMA): the newest
 * batch counts `smoothing`, the history the rest. The warm-up probe seeds it.
 *
 * @example
 * const speed = new SpeedEstimate(0.3);
 * speed.seed(4096, 200); // 20,480 tokens/s
 * speed.record(4096, 100); // 0.3 × 40,960 + 0.7 × 20,480 = 26,624
 */
export class SpeedEstimate {
  private current: number | undefined;

  constructor(private readonly smoothing: number) {}

  get tokensPerSecond(): number | undefined {
    return this.current;
  }

  /** Replaces the estimate (a fresh probe after a restart says more than the old history). */
  seed(tokens: number, ms: number): void {
    this.current = rate(tokens, ms);
  }

  record(tokens: number, ms: number): void {
    const sample = rate(tokens, ms);
    this.current = this.current === undefined ? sample : this.smoothing * sample + (1 - this.smoothing) * this.current;
  }
}

/** Timer resolution can report 0 ms for a tiny batch; a floor keeps the rate finite. */
function rate(tokens: number, ms: number): number {
  return tokens / (Math.max(ms, 0.01) / 1000);
}
