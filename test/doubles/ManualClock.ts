import type { CancelTimer, Clock } from '../../adapters/sqs/worker/Clock.js';

interface Timer {
  at: number;
  readonly every: number | undefined;
  readonly callback: () => void;
}

/** Lets every pending promise continuation run; what a fired timer starts (an SQS call to a double) finishes in them. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that moves only when the test says so. Timers fire in time order during `advance`,
 * each followed by the promise continuations it started, so a test can say "at 2,999 ms no
 * call, at 3,000 ms one" without waiting or racing the machine's load.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];

  constructor(start = 1_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, callback: () => void): CancelTimer {
    return this.add({ at: this.current + ms, every: undefined, callback });
  }

  every(ms: number, callback: () => void): CancelTimer {
    return this.add({ at: this.current + ms, every: ms, callback });
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await settle();
    const target = this.current + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.current = next.at;
      if (next.every === undefined) this.timers = this.timers.filter((t) => t !== next);
      else next.at += next.every;
      next.callback();
      await settle();
    }
    this.current = target;
  }

  private add(timer: Timer): CancelTimer {
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
}
