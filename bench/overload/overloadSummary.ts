import { percentile } from '../support/stats.js';
import type { OpenLoopResult, RequestRecord } from './httpLoad.js';
import type { MetricsPoint, ProbeResults, ProbeSample } from './serverProbe.js';

const MIB = 1024 * 1024;

export interface Capacity {
  readonly requestsPerSec: number;
  readonly connections: number;
  readonly durationS: number;
  readonly p50Ms: number;
  readonly non2xx: number;
}

export interface ProbeSummary {
  readonly probes: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Probes that took 100 ms or longer (the target is under 100 ms). */
  readonly over100Ms: number;
  /** Probes without a 200 (no answer within the probe timeout counts here too). */
  readonly failed: number;
}

export interface OverloadRun {
  readonly multiple: number;
  readonly ratePerSec: number;
  readonly durationS: number;
  readonly maxOutstanding: number;
  readonly deadlineMs: number;
  readonly sent: number;
  readonly droppedAtCap: number;
  readonly accepted: { readonly count: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly afterDeadline: number };
  readonly refused: { readonly count: number; readonly retryAfterSec: { readonly min: number; readonly p50: number; readonly max: number }; readonly refusalP99Ms: number };
  /** Every n-th 429 was retried once after its Retry-After; what those retries got. */
  readonly retries: { readonly sent: number; readonly accepted: number; readonly refusedAgain: number; readonly other: number; readonly droppedAtCap: number };
  /** Statuses other than 200 and 429 (0: no answer before the client's hard limit). */
  readonly otherStatuses: Readonly<Record<string, number>>;
  readonly memory: { readonly rssAtStartMiB: number; readonly peakRssMiB: number; readonly hwmMiB: number };
  readonly health: ProbeSummary;
  readonly metrics: ProbeSummary;
  /** Texts/s the server embedded (from embedline_texts_total) while overloaded, vs capacity. */
  readonly serverTextsPerSecUnderLoad: number;
  readonly recovery: {
    readonly durationS: number;
    /** Server texts/s in each second after the arrivals stopped (the recovery client's load included). */
    readonly serverTextsPerSec: number[];
    /** 2xx/s the recovery client (closed loop, as in the capacity run) got in each second. */
    readonly clientRequestsPerSec: number[];
    /** Seconds after the drop until the recovery client's median latency in a second was within 2× the capacity run's p50; null if not within the window. */
    readonly latencyNormalAfterS: number | null;
    /** Seconds after the drop until the batching queue held no more than the recovery client's own requests; null if not seen. */
    readonly backlogDrainedAfterS: number | null;
  };
}

export function summarizeCapacity(records: readonly RequestRecord[], connections: number, durationS: number): Capacity {
  const ok = records.filter((r) => r.status === 200);
  return { requestsPerSec: ok.length / durationS, connections, durationS, p50Ms: percentile(ok.map((r) => r.latencyMs), 50), non2xx: records.length - ok.length };
}

export function summarizeProbes(samples: readonly ProbeSample[], from: number, to: number): ProbeSummary {
  const window = samples.filter((s) => s.at >= from && s.at <= to);
  const ms = window.map((s) => s.ms);
  return { probes: window.length, p99Ms: percentile(ms, 99), maxMs: Math.max(0, ...ms), over100Ms: ms.filter((m) => m >= 100).length, failed: window.filter((s) => s.status !== 200).length };
}

/** Texts/s between the scrapes nearest `from` and `to`. */
export function textsPerSec(points: readonly MetricsPoint[], from: number, to: number): number {
  const inside = points.filter((p) => p.at >= from && p.at <= to && Number.isFinite(p.texts));
  if (inside.length < 2) return Number.NaN;
  const first = inside[0]!;
  const last = inside.at(-1)!;
  return ((last.texts - first.texts) * 1000) / Math.max(1, last.at - first.at);
}

export interface RunInputs {
  readonly multiple: number;
  readonly ratePerSec: number;
  readonly durationS: number;
  readonly maxOutstanding: number;
  readonly deadlineMs: number;
  readonly startedAt: number;
  readonly load: OpenLoopResult;
  readonly recoveryRecords: readonly RequestRecord[];
  readonly recoveryS: number;
  readonly probes: ProbeResults;
  readonly capacity: Capacity;
}

export function summarizeRun(input: RunInputs): OverloadRun {
  const { load, probes, capacity } = input;
  const first = load.records.filter((r) => !r.retry);
  const retries = load.records.filter((r) => r.retry);
  const accepted = first.filter((r) => r.status === 200);
  const refused = first.filter((r) => r.status === 429);
  const retryAfter = refused.map((r) => r.retryAfterSec ?? Number.NaN).filter(Number.isFinite);
  const otherStatuses: Record<string, number> = {};
  for (const r of first) if (r.status !== 200 && r.status !== 429) otherStatuses[r.status] = (otherStatuses[r.status] ?? 0) + 1;
  const dropAt = load.endedAt;
  const rssAfterStart = probes.rss.filter((p) => p.at >= input.startedAt);
  const seconds = Array.from({ length: input.recoveryS }, (_, i) => dropAt + i * 1000);
  const clientPerSec = seconds.map((s) => input.recoveryRecords.filter((r) => r.status === 200 && r.sentAt + r.latencyMs >= s && r.sentAt + r.latencyMs < s + 1000).length);
  const normalAt = seconds.findIndex((s) => {
    const done = input.recoveryRecords.filter((r) => r.status === 200 && r.sentAt + r.latencyMs >= s && r.sentAt + r.latencyMs < s + 1000);
    return done.length > 0 && percentile(done.map((r) => r.latencyMs), 50) <= 2 * capacity.p50Ms;
  });
  const drainedPoint = probes.points.find((p) => p.at >= dropAt && p.queueDepth <= capacity.connections);
  const until = Math.max(dropAt, ...probes.health.map((h) => h.at));
  return {
    multiple: input.multiple,
    ratePerSec: input.ratePerSec,
    durationS: input.durationS,
    maxOutstanding: input.maxOutstanding,
    deadlineMs: input.deadlineMs,
    sent: first.length,
    droppedAtCap: load.droppedAtCap,
    accepted: {
      count: accepted.length,
      p50Ms: percentile(accepted.map((r) => r.latencyMs), 50),
      p99Ms: percentile(accepted.map((r) => r.latencyMs), 99),
      maxMs: Math.max(0, ...accepted.map((r) => r.latencyMs)),
      afterDeadline: accepted.filter((r) => r.latencyMs > input.deadlineMs).length,
    },
    refused: {
      count: refused.length,
      retryAfterSec: { min: Math.min(...retryAfter), p50: percentile(retryAfter, 50), max: Math.max(...retryAfter) },
      refusalP99Ms: percentile(refused.map((r) => r.latencyMs), 99),
    },
    retries: {
      sent: retries.length,
      accepted: retries.filter((r) => r.status === 200).length,
      refusedAgain: retries.filter((r) => r.status === 429).length,
      other: retries.filter((r) => r.status !== 200 && r.status !== 429).length,
      droppedAtCap: load.retriesDroppedAtCap,
    },
    otherStatuses,
    memory: {
      rssAtStartMiB: (rssAfterStart[0]?.rssBytes ?? Number.NaN) / MIB,
      peakRssMiB: Math.max(0, ...rssAfterStart.map((p) => p.rssBytes)) / MIB,
      hwmMiB: probes.hwmBytes / MIB,
    },
    health: summarizeProbes(probes.health, input.startedAt, until),
    metrics: summarizeProbes(probes.metrics, input.startedAt, until),
    serverTextsPerSecUnderLoad: textsPerSec(probes.points, input.startedAt + 5000, dropAt),
    recovery: {
      durationS: input.recoveryS,
      serverTextsPerSec: seconds.map((s) => round1(textsPerSec(probes.points, s, s + 1000))),
      clientRequestsPerSec: clientPerSec,
      latencyNormalAfterS: normalAt < 0 ? null : normalAt + 1,
      backlogDrainedAfterS: drainedPoint ? round1((drainedPoint.at - dropAt) / 1000) : null,
    },
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

export function renderMarkdown(capacity: Capacity, runs: readonly OverloadRun[]): string {
  const f = (v: number): string => (Number.isFinite(v) ? `${Math.round(v)}` : '–');
  const statuses = (r: OverloadRun): string => Object.entries(r.otherStatuses).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none';
  return [
    `Capacity: ${capacity.requestsPerSec.toFixed(1)} req/s (single long paragraphs, ${capacity.connections} closed-loop clients, ${capacity.durationS} s, p50 ${f(capacity.p50Ms)} ms).`,
    '',
    '| load | offered req/s | sent / dropped at cap | 2xx | 2xx p50 / p99 ms | 2xx after deadline | 429 | Retry-After s (min/p50/max) | retried → 2xx / 429 | other statuses | peak RSS MiB (start) | /health p99 / max ms | /metrics p99 / max ms | texts/s under load | 10 s after: server texts/s (min–max) | latency normal after | backlog drained after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map((r) =>
      [
        `${r.multiple}× for ${r.durationS} s`,
        f(r.ratePerSec),
        `${r.sent} / ${r.droppedAtCap}`,
        r.accepted.count,
        `${f(r.accepted.p50Ms)} / ${f(r.accepted.p99Ms)}`,
        r.accepted.afterDeadline,
        r.refused.count,
        `${f(r.refused.retryAfterSec.min)} / ${f(r.refused.retryAfterSec.p50)} / ${f(r.refused.retryAfterSec.max)}`,
        `${r.retries.sent} → ${r.retries.accepted} / ${r.retries.refusedAgain}`,
        statuses(r),
        `${f(r.memory.peakRssMiB)} (${f(r.memory.rssAtStartMiB)})`,
        `${f(r.health.p99Ms)} / ${f(r.health.maxMs)}`,
        `${f(r.metrics.p99Ms)} / ${f(r.metrics.maxMs)}`,
        f(r.serverTextsPerSecUnderLoad),
        `${f(Math.min(...r.recovery.serverTextsPerSec.filter(Number.isFinite)))}–${f(Math.max(...r.recovery.serverTextsPerSec.filter(Number.isFinite)))}`,
        r.recovery.latencyNormalAfterS === null ? `not within ${r.recovery.durationS} s` : `${r.recovery.latencyNormalAfterS} s`,
        r.recovery.backlogDrainedAfterS === null ? 'not seen' : `${r.recovery.backlogDrainedAfterS} s`,
      ].join(' | ').replace(/^/, '| ').concat(' |'),
    ),
  ].join('\n');
}
