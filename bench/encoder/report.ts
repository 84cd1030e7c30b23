import { formatPeak, type PeakReport } from '../peak/runPeak.js';
import { batchFlops, MINI_LM_L6, type EncoderShape, type FlopCount } from './modelFlops.js';
import { FP32_PARITY_THRESHOLD, type Parity } from './parity.js';
import type { Breakdown } from './profile.js';
import { describeDistribution, type BenchSample } from './sample.js';
import type { BenchSystem, Measured } from './systems/BenchSystem.js';

export interface MeasuredSystem {
  readonly system: BenchSystem;
  readonly result: Measured;
}

export interface ReportInput {
  readonly sample: BenchSample;
  readonly seed: number;
  readonly runs: number;
  readonly peak: PeakReport;
  readonly rows: readonly SystemRow[];
  readonly versions: Readonly<Record<string, string>>;
  readonly skipped: readonly { id: string; reason: string }[];
  readonly foreignCpu: Readonly<Record<string, number>>;
  readonly baselineId: string;
}

/** The markdown the bench prints: machine, sample, ceiling, table, ratios, parity, breakdown. */
export function renderReport(input: ReportInput): string {
  const { sample, rows, peak } = input;
  const int8 = rows.find((r) => r.id === 'embedline-int8');
  const fp32 = rows.find((r) => r.id === 'embedline-fp32');
  const versions = Object.entries(input.versions).map(([name, v]) => `${name} ${v}`).join(', ');
  return [
    `## Encoder throughput (${sample.texts.length} texts, seed ${input.seed}, 1 warm-up + ${input.runs} timed passes)`,
    '',
    `Machine: ${peak.cpu.model}, ${peak.cpu.cores} cores, ${peak.cpu.ramGiB} GiB RAM. ${versions}.`,
    `Sample ${describeDistribution(sample.distribution)}.`,
    formatPeak(peak),
    '',
    markdownTable(rows, input.baselineId),
    '',
    ...(int8 && fp32 ? [`int8 / fp32 (both length-sorted, 2 workers × 1 thread): ${(int8.sentencesPerSecond.median / fp32.sentencesPerSecond.median).toFixed(2)}×`, ''] : []),
    ...parityLines(rows, FP32_PARITY_THRESHOLD),
    '',
    ...breakdownLines(rows),
    ...input.skipped.map((s) => `Skipped ${s.id}: ${s.reason}`),
    '',
    `Most CPU other processes took during a kept pass: ${Object.entries(input.foreignCpu).map(([id, f]) => `${id} ${pct(f)}`).join(', ')}` +
      `; passes redone: ${rows.map((r) => `${r.id} ${r.discarded}`).join(', ')}.`,
  ].join('\n');
}

/** One table row: throughput, padding and FLOP rates of a measured system. */
export interface SystemRow {
  readonly id: string;
  readonly label: string;
  readonly config: string;
  readonly precision: 'fp32' | 'int8';
  readonly maxTokens: number;
  readonly sentencesPerSecond: { readonly median: number; readonly min: number; readonly max: number };
  readonly paddingFraction: number;
  readonly flops: FlopCount;
  /** Real-token FLOPs per second at the median: useful work. */
  readonly usefulGflops: number;
  /** Padded FLOPs per second at the median: what the cores executed. */
  readonly executedGflops: number;
  readonly usefulOfPeak: number;
  readonly executedOfPeak: number;
  readonly parity?: Parity;
  readonly breakdown?: Breakdown;
  readonly discarded: number;
  readonly foreign: number;
}

export function toRow(system: BenchSystem, result: Measured, sentences: number, peakGflops: number, parity?: Parity, shape: EncoderShape = MINI_LM_L6): SystemRow {
  const flops = batchFlops(result.batches, shape);
  const seconds = result.ms.median / 1000;
  const usefulGflops = flops.real / 1e9 / seconds;
  const executedGflops = flops.padded / 1e9 / seconds;
  return {
    id: system.id,
    label: system.label,
    config: system.config,
    precision: system.precision,
    maxTokens: result.maxTokens,
    sentencesPerSecond: { median: sentences / seconds, min: (sentences * 1000) / result.ms.max, max: (sentences * 1000) / result.ms.min },
    paddingFraction: 1 - flops.realTokens / flops.paddedTokens,
    flops,
    usefulGflops,
    executedGflops,
    usefulOfPeak: usefulGflops / peakGflops,
    executedOfPeak: executedGflops / peakGflops,
    parity,
    breakdown: result.breakdown,
    discarded: result.discarded,
    foreign: result.foreign,
  };
}

export function markdownTable(rows: readonly SystemRow[], baselineId: string): string {
  const baseline = rows.find((r) => r.id === baselineId)?.sentencesPerSecond.median;
  const lines = [
    '| System | Setup | Truncation | Sentences/s median [min–max] | Padded tokens | GFLOP/s useful / executed | % of measured peak useful / executed | vs transformers.js |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const sps = r.sentencesPerSecond;
    const note = r.precision === 'int8' ? ' ¹' : '';
    lines.push(
      `| ${r.label} | ${r.config} | ${r.maxTokens} | ${fixed(sps.median)} [${fixed(sps.min)}–${fixed(sps.max)}] | ${pct(r.paddingFraction)} | ` +
        `${fixed(r.usefulGflops)} / ${fixed(r.executedGflops)}${note} | ${pct(r.usefulOfPeak)} / ${pct(r.executedOfPeak)}${note} | ` +
        `${baseline ? `${(sps.median / baseline).toFixed(1)}×` : '—'} |`,
    );
  }
  if (rows.some((r) => r.precision === 'int8')) lines.push('', '¹ int8 rows count the same (fp32-equivalent) FLOPs; their % is of the fp32 peak.');
  return lines.join('\n');
}

export function parityLines(rows: readonly SystemRow[], threshold: number): string[] {
  return rows.flatMap((r) => {
    if (!r.parity) return [];
    const p = r.parity;
    const verdict = r.precision === 'fp32' ? (p.minCosine >= threshold ? 'PASS' : 'FAIL') : 'info (int8)';
    return [
      `${r.label} (${r.config}) vs transformers.js: min cosine ${p.minCosine.toFixed(6)}, mean ${p.meanCosine.toFixed(6)} ` +
        `over ${p.compared} texts ≤ 256 word pieces (${verdict}, threshold ${threshold}); min over all texts ${p.minCosineAll.toFixed(4)}`,
    ];
  });
}

export function breakdownLines(rows: readonly SystemRow[]): string[] {
  return rows.flatMap((r) => {
    const b = r.breakdown;
    if (!b) return [];
    const busy = b.workers * b.batchesWallMs;
    return [
      `${r.label} (${r.config}): one pass ${ms(b.wallMs)} = before the first batch (stages, tokenize, batching) ${ms(b.beforeFirstBatchMs)} ` +
        `(${pct(b.beforeFirstBatchMs / b.wallMs)}) + batches ${ms(b.batchesWallMs)}; worker time ${ms(busy)} = session.run ${pct(b.inferMs / busy)}, pool ${pct(b.poolMs / busy)}, ` +
        `other ${pct(b.otherWorkerMs / busy)}; inside session.run ${fixed(b.inferGflops)} GFLOP/s executed`,
    ];
  });
}

function fixed(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
