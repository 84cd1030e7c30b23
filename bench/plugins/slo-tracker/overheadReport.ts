import { cpus } from 'node:os';
import type { LoopResult } from './closedLoop.js';
import type { TrackerCosts } from './trackerMicrobench.js';

export type Arm = 'off' | 'on';

export interface Measured extends LoopResult {
  readonly arm: Arm;
  readonly round: number;
  /** Share of all CPUs other processes used meanwhile (0.3 = 30 %). */
  readonly foreignCpu: number;
}

/** Rounds whose two arms both ran while others used less than this share of the CPUs. */
const QUIET = 0.1;

const signed = (change: number): string => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;

/** True median (mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The markdown report. Each round measured both arms back to back, so changes are taken per round
 * (on vs the same round's off) and summarised by their median: on a shared machine the load of
 * other processes moves whole rounds, and pairing cancels most of it.
 */
export function renderOverheadReport(runs: readonly Measured[], costs: TrackerCosts, options: { seconds: number; concurrency: number }): string {
  const rounds = [...new Set(runs.map((r) => r.round))].map((round) => {
    const off = runs.find((r) => r.round === round && r.arm === 'off')!;
    const on = runs.find((r) => r.round === round && r.arm === 'on')!;
    return { round, off, on, rps: on.requestsPerSecond / off.requestsPerSecond - 1, cpu: on.cpuMsPerRequest / off.cpuMsPerRequest - 1, quiet: Math.max(off.foreignCpu, on.foreignCpu) < QUIET };
  });
  const quiet = rounds.filter((r) => r.quiet);
  const pct = (share: number): string => `${(share * 100).toFixed(0)} %`;
  return [
    `${rounds.length} rounds of (off, on) in alternating order, ${options.seconds} s each after 2 s of warm-up, ${options.concurrency} concurrent single-text requests.`,
    '',
    '| round | others\' CPU (off / on) | req/s off | req/s on | change | CPU ms/request off | on | change |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rounds.map((r) => `| ${r.round} | ${pct(r.off.foreignCpu)} / ${pct(r.on.foreignCpu)} | ${r.off.requestsPerSecond.toFixed(1)} | ${r.on.requestsPerSecond.toFixed(1)} | ${signed(r.rps)} | ${r.off.cpuMsPerRequest.toFixed(3)} | ${r.on.cpuMsPerRequest.toFixed(3)} | ${signed(r.cpu)} |`),
    `| median | | | | ${signed(median(rounds.map((r) => r.rps)))} | | | ${signed(median(rounds.map((r) => r.cpu)))} |`,
    '',
    quiet.length > 0
      ? `Quiet rounds only (others under ${pct(QUIET)} in both arms: ${quiet.map((r) => r.round).join(', ')}): req/s ${signed(median(quiet.map((r) => r.rps)))}, CPU per request ${signed(median(quiet.map((r) => r.cpu)))}.`
      : `No round ran with others under ${pct(QUIET)} of the CPUs in both arms.`,
    `Tracker alone: \`onRequest\` ${costs.onRequestNs.toFixed(0)} ns per request; one scrape of its metrics ${costs.scrapeMs.toFixed(2)} ms (${(costs.scrapeBytes / 1024).toFixed(1)} KiB of text).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
  ].join('\n');
}
