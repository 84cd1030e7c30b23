import type { Priority } from '../../core/pipeline/types.js';

/** Which texts a phase draws from (by character length, a proxy for tokens). */
export type TextPool = 'short' | 'long' | 'mixed';

/** A stretch of constant load: arrivals per second (times the run's level), texts, priorities. */
export interface Phase {
  readonly seconds: number;
  /** Request arrivals per second at level 1. */
  readonly rate: number;
  readonly pool: TextPool;
  readonly mix: Readonly<Record<Priority, number>>;
  /** Each second's arrivals come in its first `share` (0.25: 4 × the rate, then nothing). */
  readonly burst?: { readonly share: number } | undefined;
  /** A CPU-burning thread runs through the phase: one device slowed (on CPU, by contention). */
  readonly contention?: boolean | undefined;
}

const NORMAL_MOSTLY = { critical: 0.1, normal: 0.7, background: 0.2 } as const;

/**
 * The shifting loads of issue 14 item 5, three phases each of `phaseSeconds` so a learning
 * policy has to notice a change: the middle phase is the shift, the last returns to the first.
 */
export function scenario(name: string, phaseSeconds: number): Phase[] {
  const base: Phase = { seconds: phaseSeconds, rate: 1, pool: 'mixed', mix: NORMAL_MOSTLY };
  switch (name) {
    case 'steady':
      return [base, base, base];
    case 'bursts':
      return [base, { ...base, burst: { share: 0.25 } }, base];
    case 'short-to-long':
      return [{ ...base, pool: 'short' }, { ...base, pool: 'long', rate: 0.4 }, { ...base, pool: 'short' }];
    case 'priority-mix':
      return [base, { ...base, mix: { critical: 0.6, normal: 0.3, background: 0.1 } }, base];
    case 'slow-device':
      return [base, { ...base, contention: true }, base];
    default:
      throw new Error(`Unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}.`);
  }
}

export const SCENARIOS = ['steady', 'bursts', 'short-to-long', 'priority-mix', 'slow-device'] as const;
