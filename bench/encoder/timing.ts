import { startCpuMeter } from './cpuMeter.js';

/**
 * Repeat-and-summarize helpers shared by the benchmarks: one warm-up pass whose result is kept
 * (the parity check reads its vectors), then timed passes summarized by median and range. A pass
 * during which other processes took more than `guard.maxForeign` of the CPUs is thrown away and
 * run again, up to `guard.maxPasses` timed passes in all (after that they count as they are).
 *
 * @example
 * const { first, ms, discarded } = await timeRuns(5, () => encoder.encode(texts), { maxForeign: 0.05, maxPasses: 20 });
 */
export interface RunSummary {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly all: readonly number[];
}

export interface PassGuard {
  readonly maxForeign: number;
  readonly maxPasses: number;
}

export interface TimedPasses<T> {
  readonly first: T;
  readonly ms: RunSummary;
  /** Passes thrown away because other processes were busy. */
  readonly discarded: number;
  /** The largest CPU share other processes took during a kept pass. */
  readonly foreign: number;
}

export const NO_GUARD: PassGuard = { maxForeign: 1, maxPasses: Number.POSITIVE_INFINITY };

export function summarizeRuns(values: readonly number[]): RunSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: values.length, median, min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN, all: values };
}

export async function timeRuns<T>(runs: number, body: () => Promise<T>, guard: PassGuard = NO_GUARD): Promise<TimedPasses<T>> {
  const first = await body();
  const times: number[] = [];
  let discarded = 0;
  let foreign = 0;
  while (times.length < runs) {
    const meter = startCpuMeter();
    const t0 = performance.now();
    await body();
    const elapsed = performance.now() - t0;
    const share = meter.foreignShare();
    if (share > guard.maxForeign && discarded < guard.maxPasses - runs) {
      discarded++;
      continue;
    }
    times.push(elapsed);
    foreign = Math.max(foreign, share);
  }
  return { first, ms: summarizeRuns(times), discarded, foreign };
}
