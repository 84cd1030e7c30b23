/**
 * Exponential backoff for probing a quarantined device again: initial, ×2 per failure, capped.
 *
 * @example
 * const backoff = new Backoff(1000, 60_000);
 * backoff.next(); // 1000, then 2000, 4000, … 60000
 * backoff.reset();
 */
export class Backoff {
  private failures = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number) {}

  next(): number {
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 52);
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }
}
