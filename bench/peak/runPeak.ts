/**
 * The fp32 FLOP ceiling on this machine: theoretical (lscpu) and measured (MatMuls through
 * onnxruntime-node: 2048³, 1024³ and the shapes all-MiniLM-L6-v2 actually runs; the fastest median
 * is the measured peak, so no shape the model hits can beat its own ceiling).
 *
 * Run: `node dist/bench/peak/runPeak.js [--runs 15]` (after `npx tsc -p .`)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/loadConfig.js';
import { readCpuInfo, type CpuInfo } from './cpuInfo.js';
import { measureMatMul, PEAK_SHAPE, type MatMulResult, type MatMulShape } from './measurePeak.js';

export interface PeakReport {
  readonly cpu: CpuInfo;
  /** The fastest median of all multi-threaded shapes below: the ceiling the encoder table divides by. */
  readonly measured: MatMulResult;
  /** 2048³ and 1024³ with one thread per core. */
  readonly square: readonly MatMulResult[];
  readonly singleThread: MatMulResult;
  /** The encoder's own GEMMs at 2,048 tokens (h = 384): Q/K/V/out, FFN up, FFN down. */
  readonly modelShapes: readonly MatMulResult[];
}

const SQUARE_SHAPES = [PEAK_SHAPE, { m: 1024, k: 1024, n: 1024 }] as const;
const MODEL_SHAPES = [
  { m: 2048, k: 384, n: 384 },
  { m: 2048, k: 384, n: 1536 },
  { m: 2048, k: 1536, n: 384 },
] as const;

/** Like the encoder bench: a run during which others took over 5% of the CPUs is redone (up to 4×). */
const MAX_FOREIGN = 0.05;

export async function runPeak(runs: number, log: (line: string) => void = () => {}): Promise<PeakReport> {
  const cpu = readCpuInfo();
  const measure = async (shape: MatMulShape, threads: number, times: number): Promise<MatMulResult> => {
    const result = await measureMatMul(shape, threads, times, { maxForeign: MAX_FOREIGN, maxPasses: times * 4 });
    log(`  MatMul ${shape.m}×${shape.k}·${shape.k}×${shape.n}, ${threads} thread(s): ${result.gflops.toFixed(1)} GFLOP/s`);
    return result;
  };
  const square: MatMulResult[] = [];
  for (const shape of SQUARE_SHAPES) square.push(await measure(shape, cpu.cores, runs));
  const singleThread = await measure(PEAK_SHAPE, 1, runs);
  const modelShapes: MatMulResult[] = [];
  for (const shape of MODEL_SHAPES) modelShapes.push(await measure(shape, cpu.cores, runs * 3));
  const measured = [...square, ...modelShapes].reduce((best, r) => (r.gflops > best.gflops ? r : best));
  return { cpu, measured, square, singleThread, modelShapes };
}

export function formatPeak(report: PeakReport): string {
  const { cpu, measured, singleThread } = report;
  const shape = (r: MatMulResult) => `${r.m}×${r.k}·${r.k}×${r.n}`;
  const all = [...report.square, ...report.modelShapes].map((r) => `${shape(r)} ${r.gflops.toFixed(1)}`).join(', ');
  return [
    `CPU: ${cpu.model}, ${cpu.cores} cores × ${cpu.threadsPerCore} thread(s), ${cpu.ramGiB} GiB RAM`,
    `Theoretical fp32 peak: ${cpu.cores} cores × ${cpu.clockGHz.toFixed(3)} GHz (${cpu.clockSource}) × ${cpu.fp32FlopsPerCycle} FLOPs/cycle = ${cpu.theoreticalGflops.toFixed(1)} GFLOP/s`,
    `Measured fp32 MatMul, ${measured.threads} threads, median of ${report.square[0]?.ms.runs ?? 0}+ runs, GFLOP/s: ${all}; 2048³ on 1 thread ${singleThread.gflops.toFixed(1)}`,
    `Measured peak (the fastest of those): ${measured.gflops.toFixed(1)} GFLOP/s (${shape(measured)}), ${pct(measured.gflops / cpu.theoreticalGflops)} of theoretical`,
  ].join('\n');
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
  const report = await runPeak(Number(values.runs), (line) => process.stderr.write(`${line}\n`));
  const out = join(loadConfig(process.env).cacheDir, 'bench');
  await mkdir(out, { recursive: true });
  const file = join(out, 'peak.json');
  await writeFile(file, JSON.stringify(report, null, 2));
  process.stdout.write(`${formatPeak(report)}\nWrote ${file}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
