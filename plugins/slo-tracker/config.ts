import { z } from 'zod';
import { durationSchema, type Duration } from './duration.js';

const latencyObjectiveSchema = z.strictObject({
  /** "p95 < 100 ms" is `{ percentile: 95, thresholdMs: 100 }`: 95 % of successful requests take at most 100 ms. */
  percentile: z.number().gt(0).lt(100),
  thresholdMs: z.number().positive(),
});

const priorityObjectivesSchema = z
  .strictObject({
    /** Share of requests (client errors excluded) that must succeed. */
    availability: z.number().gt(0).lt(1).default(0.999),
    latency: z
      .array(latencyObjectiveSchema)
      .default([
        { percentile: 95, thresholdMs: 100 },
        { percentile: 99, thresholdMs: 200 },
      ])
      .refine((list) => new Set(list.map((o) => o.percentile)).size === list.length, 'each percentile may appear once'),
  })
  .prefault({});

const burnRateAlertSchema = z.strictObject({
  longWindow: durationSchema,
  shortWindow: durationSchema,
  /** Fires when both windows burn the error budget at least this many times faster than sustainable. */
  burnRate: z.number().positive(),
});

/**
 * `pluginOptions.slo-tracker`. Defaults: per priority, availability 99.9 % and latency p95 ≤ 100 ms,
 * p99 ≤ 200 ms; error budget over a rolling 30 days; the SRE workbook's multi-window burn-rate
 * pairs (1 h & 5 m at 14.4×, 6 h & 30 m at 6×). Recent windows count in `bucket`-sized slots,
 * the budget period in `periodBucket`-sized slots, so every window must be a whole number of its
 * slots.
 */
export const sloTrackerConfigSchema = z
  .strictObject({
    /** Per priority; a priority left out, or a field left out, keeps the default. */
    objectives: z.strictObject({ critical: priorityObjectivesSchema, normal: priorityObjectivesSchema, background: priorityObjectivesSchema }).prefault({}),
    period: durationSchema.prefault('30d'),
    periodBucket: durationSchema.prefault('1h'),
    bucket: durationSchema.prefault('1m'),
    burnRateAlerts: z
      .array(burnRateAlertSchema)
      .min(1)
      .prefault([
        { longWindow: '1h', shortWindow: '5m', burnRate: 14.4 },
        { longWindow: '6h', shortWindow: '30m', burnRate: 6 },
      ]),
  })
  // Relations between fields, checked once every field parsed (before that there is nothing to compare).
  .superRefine((config, ctx) => {
    const problem = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    config.burnRateAlerts.forEach((alert, i) => {
      if (alert.shortWindow.ms >= alert.longWindow.ms) problem(['burnRateAlerts', i, 'shortWindow'], 'must be shorter than longWindow');
      for (const key of ['longWindow', 'shortWindow'] as const) {
        if (!isWholeMultiple(alert[key], config.bucket)) problem(['burnRateAlerts', i, key], `must be a whole number of buckets (${config.bucket.text})`);
      }
    });
    if (!isWholeMultiple(config.period, config.periodBucket)) problem(['period'], `must be a whole number of periodBuckets (${config.periodBucket.text})`);
    if (config.period.ms / config.periodBucket.ms > MAX_SLOTS) problem(['periodBucket'], `too small for the period: at most ${MAX_SLOTS} slots`);
    if (longestWindow(config).ms / config.bucket.ms > MAX_SLOTS) problem(['bucket'], `too small for the longest burn-rate window: at most ${MAX_SLOTS} slots`);
  }, { when: (payload) => payload.issues.length === 0 });

/** Keeps memory bounded whatever the config: 100k slots are 2.4 MB per SLO and ring. */
const MAX_SLOTS = 100_000;

export type SloTrackerConfig = z.output<typeof sloTrackerConfigSchema>;
export type SloTrackerConfigInput = z.input<typeof sloTrackerConfigSchema>;
export type BurnRateAlert = SloTrackerConfig['burnRateAlerts'][number];

function isWholeMultiple(window: Duration, bucket: Duration): boolean {
  return window.ms % bucket.ms === 0;
}

export function longestWindow(config: Pick<SloTrackerConfig, 'burnRateAlerts'>): Duration {
  return config.burnRateAlerts.map((a) => a.longWindow).reduce((a, b) => (b.ms > a.ms ? b : a));
}
