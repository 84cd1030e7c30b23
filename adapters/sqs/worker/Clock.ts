/** Cancels a timer that {@link Clock} started. */
export type CancelTimer = () => void;

/**
 * The time and timers the worker's chores run on (heartbeat, batched deletes). Injectable so
 * their timing is tested with a manual clock instead of the wall clock; production uses
 * {@link systemClock}.
 *
 * @example
 * const cancel = clock.after(50, () => flush());
 * cancel(); // before it fired: it never will
 */
export interface Clock {
  now(): number;
  /** Runs `callback` once after `ms`. */
  after(ms: number, callback: () => void): CancelTimer;
  /** Runs `callback` every `ms`; a periodic chore never keeps the process alive on its own. */
  every(ms: number, callback: () => void): CancelTimer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
  every: (ms, callback) => {
    const timer = setInterval(callback, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
