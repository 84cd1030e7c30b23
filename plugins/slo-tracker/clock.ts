/**
 * Milliseconds on a monotonic scale. Only differences matter (which slot an event falls in), so
 * `performance.now()` serves and a wall-clock step (NTP) cannot move events between windows.
 * Tests bind their own to move time by hand.
 *
 * @example
 * let now = 0;
 * const clock: Clock = () => now;
 * now += 5 * 60_000; // five minutes later
 */
export type Clock = () => number;

export const monotonicClock: Clock = () => performance.now();
