import { summarizeRuns } from '../../encoder/timing.js';
import type { MemoryPoolMode, ReplayResult, TrialResult } from './modes.js';

const MiB = 1024 * 1024;
const median = (values: readonly number[]): number => summarizeRuns(values).median;
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const f = (n: number, digits = 1): string => n.toFixed(digits);

/** Acquire-time percentiles in microseconds. */
interface AcquireFigures {
  readonly acquireMeanUs: number;
  readonly acquireP50Us: number;
  readonly acquireP99Us: number;
}

function acquireFigures(ns: readonly number[]): AcquireFigures {
  const us = ns.map((n) => n / 1000).sort((a, b) => a - b);
  const at = (p: number): number => us[Math.min(us.length - 1, Math.floor(p * us.length))] ?? NaN;
  return { acquireMeanUs: mean(us), acquireP50Us: at(0.5), acquireP99Us: at(0.99) };
}

/** Median over trials of each figure. */
function medianOf<T extends Record<string, number>>(rows: readonly T[]): T {
  const keys = Object.keys(rows[0] ?? {}) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k] as number))])) as T;
}

export type InferenceSummary = ReturnType<typeof summarizeInference>;

/** One mode with real inference: per trial, the mean over its timed passes; then the median over trials. */
export function summarizeInference(mode: MemoryPoolMode, trials: readonly { result: TrialResult; foreign: number }[]) {
  const perTrial = trials.map(({ result }) => {
    const stats = result.poolStats;
    return {
      sentencesPerSecond: result.texts / mean(result.passes.map((p) => p.seconds)),
      ...acquireFigures(result.passes.flatMap((p) => p.acquireNs)),
      mainGcMs: mean(result.passes.map((p) => p.mainGc.totalMs)),
      mainGcCount: mean(result.passes.map((p) => p.mainGc.count)),
      workerGcMs: mean(result.passes.map((p) => p.workerGcMs)),
      fragmentation: mean(result.passes.map((p) => p.meanFragmentation)),
      wastedMiB: mean(result.passes.map((p) => p.meanWastedBytes)) / MiB,
      peakHeldMiB: Math.max(...result.passes.map((p) => p.peakHeldBytes)) / MiB,
      maxRssMiB: result.maxRssBytes / MiB,
      hitRate: stats ? stats.hits / (stats.hits + stats.misses) : NaN,
    };
  });
  const keptForeign = trials.flatMap(({ result }) => result.passes.map((p) => p.foreignCpu));
  const redone = trials.reduce((sum, { result }) => sum + result.redonePasses, 0);
  return { mode, trials: trials.length, foreignCpuMax: Math.max(...keptForeign), redonePasses: redone, ...medianOf(perTrial) };
}

export type ReplaySummary = ReturnType<typeof summarizeReplay>;

/** One mode, allocator alone: median over trials. */
export function summarizeReplay(mode: MemoryPoolMode, results: readonly ReplayResult[]) {
  const perTrial = results.map((r) => ({
    batches: r.batches,
    ...acquireFigures(r.acquireNs),
    mainGcMs: r.mainGc.totalMs,
    mainGcCount: r.mainGc.count,
    fragmentation: r.meanFragmentation,
    wastedMiB: r.meanWastedBytes / MiB,
    peakHeldMiB: r.peakHeldBytes / MiB,
    maxRssMiB: r.maxRssBytes / MiB,
  }));
  return { mode, trials: results.length, ...medianOf(perTrial) };
}

export function renderInferenceTable(rows: readonly InferenceSummary[]): string {
  const lines = [
    '| mode | sentences/s | acquire µs/batch mean / p50 / p99 | main-thread GC ms/pass (pauses) | worker GC ms/pass | fragmentation | held − needed MiB (mean) | peak held MiB | peak RSS MiB | pool hit rate | others\' CPU, kept passes (max) | passes redone |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const hit = Number.isNaN(r.hitRate) ? '—' : `${f(r.hitRate * 100)}%`;
    lines.push(
      `| ${r.mode} | ${f(r.sentencesPerSecond)} | ${f(r.acquireMeanUs)} / ${f(r.acquireP50Us)} / ${f(r.acquireP99Us)} | ${f(r.mainGcMs)} (${f(r.mainGcCount)}) | ${f(r.workerGcMs)} | ${f(r.fragmentation * 100)}% | ${f(r.wastedMiB, 2)} | ${f(r.peakHeldMiB, 2)} | ${f(r.maxRssMiB, 0)} | ${hit} | ${f(r.foreignCpuMax * 100, 0)}% | ${r.redonePasses} |`,
    );
  }
  return lines.join('\n');
}

export function renderReplayTable(rows: readonly ReplaySummary[]): string {
  const lines = [
    '| mode | batches | acquire µs/batch mean / p50 / p99 | main-thread GC ms (pauses) | fragmentation | held − needed MiB (mean) | peak held MiB | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.mode} | ${r.batches} | ${f(r.acquireMeanUs, 2)} / ${f(r.acquireP50Us, 2)} / ${f(r.acquireP99Us, 2)} | ${f(r.mainGcMs)} (${f(r.mainGcCount)}) | ${f(r.fragmentation * 100)}% | ${f(r.wastedMiB, 2)} | ${f(r.peakHeldMiB, 2)} | ${f(r.maxRssMiB, 0)} |`);
  }
  return lines.join('\n');
}
