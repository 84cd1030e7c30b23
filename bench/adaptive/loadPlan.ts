import { mulberry32, type Random } from '../corpus/prng.js';
import { PRIORITIES, type Priority } from '../../core/pipeline/types.js';
import type { Phase, TextPool } from './scenarios.js';

export interface Arrival {
  readonly atMs: number;
  readonly phase: number;
  readonly priority: Priority;
  readonly texts: readonly string[];
}

/** Texts split by character length: short under 120 characters, long over 500. */
export function textPools(texts: readonly string[]): Record<TextPool, readonly string[]> {
  return { short: texts.filter((t) => t.length < 120), long: texts.filter((t) => t.length > 500), mixed: texts };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function priorityOf(random: Random, mix: Readonly<Record<Priority, number>>): Priority {
  let u = random() * PRIORITIES.reduce((sum, p) => sum + mix[p], 0);
  for (const p of PRIORITIES) if ((u -= mix[p]) < 0) return p;
  return 'background';
}

/**
 * Open-loop arrivals (Poisson, seeded), the same for every policy at a level: requests of 1–5
 * texts drawn from the phase's pool, priority from its mix. Bursts compress a second's arrivals
 * into its first `share`.
 */
export function loadPlan(phases: readonly Phase[], level: number, pools: Record<TextPool, readonly string[]>, seed = 7): Arrival[] {
  const random = mulberry32(seed);
  const arrivals: Arrival[] = [];
  let phaseStart = 0;
  phases.forEach((phase, index) => {
    const rate = phase.rate * level;
    const end = phaseStart + phase.seconds * 1000;
    for (let t = phaseStart - (Math.log(1 - random()) / rate) * 1000; t < end; t -= (Math.log(1 - random()) / rate) * 1000) {
      const atMs = phase.burst ? Math.floor(t / 1000) * 1000 + (t % 1000) * phase.burst.share : t;
      const texts = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(random, pools[phase.pool]));
      arrivals.push({ atMs, phase: index, priority: priorityOf(random, phase.mix), texts });
    }
    phaseStart = end;
  });
  return arrivals.sort((a, b) => a.atMs - b.atMs);
}
