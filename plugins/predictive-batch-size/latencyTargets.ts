import { PRIORITIES, type Priority } from '../../core/pipeline/types.js';
import type { PredictiveBatchSizeConfig } from './config.js';

/** Default targets as shares of `batching.requestTimeoutMs`: a batch may spend that much of a request's time. */
export const DEFAULT_TARGET_SHARE: Readonly<Record<Priority, number>> = { critical: 0.01, normal: 0.05, background: 0.2 };

export type LatencyTargets = Readonly<Record<Priority, number>>;

/** Configured targets, the rest from the request timeout. */
export function latencyTargets(config: Pick<PredictiveBatchSizeConfig, 'latencyTargetMs'>, requestTimeoutMs: number): LatencyTargets {
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
