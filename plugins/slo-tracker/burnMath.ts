/**
 * The SRE workbook's error-budget arithmetic, on event counts over one window. Only valid events
 * count: for availability, requests that were not the caller's fault; for latency, successful
 * requests. A window with no valid events has burnt nothing.
 */
export interface WindowCounts {
  readonly valid: number;
  readonly bad: number;
}

/** Share of valid events that were good; 1 for an empty window. */
export function sliRatio(counts: WindowCounts): number {
  return counts.valid === 0 ? 1 : 1 - counts.bad / counts.valid;
}

/**
 * How many times faster than sustainable the window spent the error budget: the bad share over
 * the allowed bad share (1 − objective). 1 spends exactly the budget over the SLO period.
 *
 * @example
 * burnRate({ valid: 1000, bad: 10 }, 0.999); // 10: a 30-day budget gone in 3 days
 */
export function burnRate(counts: WindowCounts, objective: number): number {
  return counts.valid === 0 ? 0 : counts.bad / counts.valid / (1 - objective);
}

/**
 * Share of the period's error budget still unspent: 1 − the burn rate over the whole period.
 * Negative once the objective is missed, so dashboards show by how much.
 */
export function budgetRemaining(periodCounts: WindowCounts, objective: number): number {
  return 1 - burnRate(periodCounts, objective);
}
