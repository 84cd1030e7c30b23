import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Priority } from '../../../core/pipeline/types.js';

export type AnnouncementOutcome = 'sent' | 'added' | 'dropped';

/**
 * The near-duplicate tier's metrics, on the cache's registry. Hits count texts served a
 * neighbour's vector; the similarity histogram is the sketch similarity each was served at.
 *
 * @example
 * const metrics = new NearDuplicateMetrics(cacheMetrics.registry, () => tier.size);
 * metrics.hit('background', 0.97);
 */
export class NearDuplicateMetrics {
  private readonly hits: Counter<'priority'>;
  private readonly misses: Counter<'priority'>;
  private readonly similarity: Histogram;
  private readonly announcements: Counter<'outcome'>;
  private readonly lag: Histogram;
  private readonly streamErrors: Counter<'operation'>;

  constructor(registry: Registry, entries: () => number) {
    const registers = [registry];
    this.hits = new Counter({ name: 'embedline_cache_near_hits_total', help: "Texts served a near-duplicate's vector (source cache-near), by priority.", labelNames: ['priority'], registers });
    this.misses = new Counter({ name: 'embedline_cache_near_misses_total', help: 'Texts the near-duplicate tier looked up and found no neighbour at or above the threshold for, by priority.', labelNames: ['priority'], registers });
    this.similarity = new Histogram({ name: 'embedline_cache_near_served_similarity', help: 'Sketch similarity of each served near-duplicate to the text it was served for.', buckets: [0.8, 0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 1], registers });
    new Gauge({ name: 'embedline_cache_near_entries', help: 'Sketches in the near-duplicate index (all scopes).', registers, collect() { this.set(entries()); } });
    this.announcements = new Counter({ name: 'embedline_cache_near_announcements_total', help: 'Redis Stream announcements of near-duplicate entries: sent by this instance, added from peers, or dropped (undecodable, or the vector no longer in Redis).', labelNames: ['outcome'], registers });
    this.lag = new Histogram({ name: 'embedline_cache_near_announcement_lag_seconds', help: "Time from a peer's entry to this instance adding it (reading it off the stream).", buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60], registers });
    this.streamErrors = new Counter({ name: 'embedline_cache_near_stream_errors_total', help: 'Failed Redis Stream operations (announce, read); the tier keeps working locally.', labelNames: ['operation'], registers });
  }

  hit(priority: Priority, similarity: number): void {
    this.hits.inc({ priority });
    this.similarity.observe(similarity);
  }

  miss(priority: Priority, count = 1): void {
    if (count > 0) this.misses.inc({ priority }, count);
  }

  announcement(outcome: AnnouncementOutcome, count = 1): void {
    if (count > 0) this.announcements.inc({ outcome }, count);
  }

  announcementLag(seconds: number): void {
    this.lag.observe(Math.max(0, seconds));
  }

  streamError(operation: 'announce' | 'read'): void {
    this.streamErrors.inc({ operation });
  }
}
