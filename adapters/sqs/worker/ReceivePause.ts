import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '../retry.js';

/**
 * Pauses receiving after retryable failures (a sink outage, an overloaded pipeline) with growing
 * delays, reset by the next success. Every receive counts towards maxReceiveCount, so pulling
 * messages that cannot be stored would push healthy messages towards the DLQ during an outage.
 */
export class ReceivePause {
  private failures = 0;
  private until = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  onFailure(): void {
    this.failures++;
    this.until = Date.now() + backoffDelayMs(this.failures, this.baseMs, this.maxMs);
  }

  onSuccess(): void {
    this.failures = 0;
    this.until = 0;
  }

  /** Resolves when the pause is over, or at once when the signal aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    const ms = this.until - Date.now();
    if (ms > 0) await sleep(ms, undefined, { signal }).catch(() => undefined);
  }
}
