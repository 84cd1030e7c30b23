import type { RequestCompleted } from '../../../core/ports/PipelineObserver.js';
import { EmbedlineError } from '../../../core/errors.js';
import { monotonicClock } from '../../../plugins/slo-tracker/clock.js';
import { sloTrackerConfigSchema } from '../../../plugins/slo-tracker/config.js';
import { SloMetrics } from '../../../plugins/slo-tracker/SloMetrics.js';
import { SloTracker } from '../../../plugins/slo-tracker/SloTracker.js';

export interface TrackerCosts {
  /** Mean cost of `onRequest` (what every request pays), in nanoseconds. */
  readonly onRequestNs: number;
  /** Mean cost of rendering the tracker's metrics (what every scrape pays), in milliseconds. */
  readonly scrapeMs: number;
  readonly scrapeBytes: number;
}

/** The tracker alone, without the pipeline around it: its own per-request and per-scrape cost. */
export async function measureTrackerCosts(calls = 2_000_000, scrapes = 200): Promise<TrackerCosts> {
  const tracker = new SloTracker(sloTrackerConfigSchema.parse({}), monotonicClock);
  const metrics = new SloMetrics(tracker);
  const priorities = ['critical', 'normal', 'background'] as const;
  const events: RequestCompleted[] = Array.from({ length: 1000 }, (_, i) => ({
    requestId: `r${i}`,
    priority: priorities[i % 3]!,
    texts: 1,
    promptTokens: 10,
    latencyMs: (i * 7) % 250,
    error: i % 100 === 0 ? new EmbedlineError('EMBEDLINE_INFERENCE', 'bench') : undefined,
  }));
  for (let i = 0; i < 100_000; i++) tracker.onRequest(events[i % events.length]!);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) tracker.onRequest(events[i % events.length]!);
  const onRequestNs = ((performance.now() - t0) * 1e6) / calls;

  let bytes = 0;
  const t1 = performance.now();
  for (let i = 0; i < scrapes; i++) bytes = (await metrics.registry.metrics()).length;
  return { onRequestNs, scrapeMs: (performance.now() - t1) / scrapes, scrapeBytes: bytes };
}
