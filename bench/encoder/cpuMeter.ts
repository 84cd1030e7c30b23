import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How much of the machine other processes used while we measured: the benchmark shares two cores
 * with whatever else runs (a test suite, a compiler), and that shows up as noise in the numbers.
 * Linux only: all CPUs' busy ticks from /proc/stat minus this process's and its waited-for
 * children's ticks from /proc/self/stat.
 *
 * @example
 * const meter = startCpuMeter();
 * await work();
 * meter.foreignShare(); // 0.02 → others used 2% of all cores meanwhile
 */
export interface CpuMeter {
  /** 0 for spans under MIN_TICKS: the kernel counts in 10 ms ticks, too coarse to judge those. */
  foreignShare(): number;
}

const MIN_TICKS = 50;

interface Ticks {
  readonly total: number;
  readonly busy: number;
  readonly own: number;
}

export function startCpuMeter(): CpuMeter {
  const start = readTicks();
  return {
    foreignShare: () => {
      const now = readTicks();
      const total = now.total - start.total;
      return total >= MIN_TICKS ? Math.max(0, (now.busy - start.busy - (now.own - start.own)) / total) : 0;
    },
  };
}

/** Waits (up to `maxWaitMs`) for a second in which others use under `threshold` of the CPUs. */
export async function waitForQuiet(threshold: number, maxWaitMs: number, log: (line: string) => void): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let share = await sampleForeign(1000);
  if (share >= threshold) log(`  waiting for other processes to settle (they use ${(share * 100).toFixed(0)}% of the CPUs)…`);
  while (share >= threshold && Date.now() < deadline) share = await sampleForeign(2000);
  return share;
}

async function sampleForeign(ms: number): Promise<number> {
  const meter = startCpuMeter();
  await sleep(ms);
  return meter.foreignShare();
}

function readTicks(): Ticks {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  // Fields after the parenthesised command name: utime, stime, cutime, cstime are the 12th–15th.
  const self = readFileSync('/proc/self/stat', 'utf8');
  const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
  const own = (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
  return { total, busy: total - idle - iowait, own };
}
