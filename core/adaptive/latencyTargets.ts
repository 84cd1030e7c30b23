import { PRIORITIES, type Priority } from '../pipeline/types.js';

/** A learning batch plugin's `latencyTargetMs` option: per priority, unset ones fall back to the request timeout. */
export interface LatencyTargetOptions {
  readonly latencyTargetMs: Readonly<Partial<Record<Priority, number | undefined>>>;
}

/** Default targets as shares of `batching.requestTimeoutMs`: a batch may spend that much of a request's time. */
export const DEFAULT_TARGET_SHARE: Readonly<Record<Priority, number>> = { critical: 0.01, normal: 0.05, background: 0.2 };

export type LatencyTargets = Readonly<Record<Priority, number>>;

/** Configured targets, the rest from the request timeout. */
export function latencyTargets(config: LatencyTargetOptions, requestTimeoutMs: number): LatencyTargets {
  return Object.fromEntries(PRIORITIES.map((p) => [p, config.latencyTargetMs[p] ?? requestTimeoutMs * DEFAULT_TARGET_SHARE[p]])) as Record<Priority, number>;
}

/**
 * The tightest target among priorities with queued texts (the batch about to form may serve the
 * most urgent of them); `normal`'s when the queue is empty or its state unknown.
 */
export function tightestTarget(targets: LatencyTargets, byPriority: Readonly<Record<Priority, { depth: number }>> | undefined): number {
  if (!byPriority) return targets.normal;
  const waiting = PRIORITIES.filter((p) => byPriority[p].depth > 0);
  return waiting.length === 0 ? targets.normal : Math.min(...waiting.map((p) => targets[p]));
}
