import type { RequestCompleted } from '../../core/ports/PipelineObserver.js';
import { PRIORITIES, type Priority } from '../../core/pipeline/types.js';
import type { SloTrackerConfig } from './config.js';

/** How one finished request counts towards one SLO. */
export type Verdict = 'good' | 'bad' | 'excluded';

/** One objective for one priority, e.g. `latency_p95` for `critical`. */
export interface SloDefinition {
  /** The `slo` label: `availability`, `latency_p95`, `latency_p99_9`. */
  readonly name: string;
  readonly priority: Priority;
  /** Share of valid requests that must be good, in (0, 1). */
  readonly objective: number;
  /** For latency SLOs: the slowest a good request may be. */
  readonly thresholdMs?: number | undefined;
  judge(event: RequestCompleted): Verdict;
}

/** Client errors (bad input, cancelled, unauthorized) are the caller's to fix, so they do not count. */
export function judgeAvailability(event: RequestCompleted): Verdict {
  if (!event.error) return 'good';
  return event.error.isClientError ? 'excluded' : 'bad';
}

/**
 * Latency counts successful requests only: a failed request already spends the availability
 * budget, and counting it here too would charge one incident twice.
 */
export function judgeLatency(thresholdMs: number): (event: RequestCompleted) => Verdict {
  return (event) => (event.error ? 'excluded' : event.latencyMs <= thresholdMs ? 'good' : 'bad');
}

/** Every SLO the config defines: per priority, availability then each latency objective. */
export function sloDefinitions(config: Pick<SloTrackerConfig, 'objectives'>): SloDefinition[] {
  return PRIORITIES.flatMap((priority) => {
    const { availability, latency } = config.objectives[priority];
    return [
      { name: 'availability', priority, objective: availability, judge: judgeAvailability },
      ...latency.map(({ percentile, thresholdMs }) => ({
        name: `latency_p${String(percentile).replace('.', '_')}`,
        priority,
        objective: percentile / 100,
        thresholdMs,
        judge: judgeLatency(thresholdMs),
      })),
    ];
  });
}
