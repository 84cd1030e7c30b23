/**
 * Encoder throughput: embedline (fp32 length-sorted, fp32 input order, int8) against
 * transformers.js and FastEmbed on one fixed sample of the Debian-descriptions corpus, with the
 * fp32 FLOP ceiling of this machine. Prints a markdown report; writes JSON under
 * `<cacheDir>/bench/`. See bench/README.md and docs/BENCHMARKS.md.
 *
 * Run: `npm run bench` or `node dist/bench/encoder/runEncoderBench.js [--model all-MiniLM-L6-v2]
 *      [--size 256] [--seed 42] [--runs 5] [--only id,id] [--quiet-wait 120]` (after `npx tsc -p .`).
 * `--model` takes any catalogue name (bge-small-en-v1.5, e5-small-v2); `--only embedline-fp32,embedline-int8`
 * picks the variants. FastEmbed runs for MiniLM only (its runner loads that model).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { env as ortEnv } from 'onnxruntime-node';
import { loadConfig } from '../../core/config/loadConfig.js';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { readModelInfo, type ModelInfo } from '../../core/model/modelInfo.js';
import { catalogueEntry } from '../../core/model/ModelStore.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { encoderShapeOf, type EncoderShape } from './modelFlops.js';
import { runPeak } from '../peak/runPeak.js';
import { startCpuMeter, waitForQuiet } from './cpuMeter.js';
import { compareVectors } from './parity.js';
import { renderReport, toRow, type MeasuredSystem, type SystemRow } from './report.js';
import { describeDistribution, loadSample, type BenchSample } from './sample.js';
import type { BenchSystem } from './systems/BenchSystem.js';
import { embedlineSystem } from './systems/embedline.js';
import { fastEmbedSystem } from './systems/fastEmbed.js';
import { packageVersion, transformersJsSystem } from './systems/transformersJs.js';

const DEFAULT_MODEL = 'all-MiniLM-L6-v2';
export const BASELINE = 'transformers-js-fp32';
const THREADS = 2;
/** Before each system, wait for others to use under 10% of the CPUs (at most --quiet-wait s). */
const QUIET_THRESHOLD = 0.1;
/** A timed pass during which others took over 5% of the CPUs is redone, up to 4× the passes asked for. */
const MAX_FOREIGN = 0.05;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function systemsFor(config: Readonly<EmbedlineConfig>, model: ModelInfo, benchDir: string, venv: string): BenchSystem[] {
  return [
    embedlineSystem(config, { id: 'embedline-fp32', variant: 'fp32', workers: 2, threads: 1, order: 'sorted', profile: true }),
    embedlineSystem(config, { id: 'embedline-fp32-1x2', variant: 'fp32', workers: 1, threads: 2, order: 'sorted', profile: true }),
    embedlineSystem(config, { id: 'embedline-fp32-input-order', variant: 'fp32', workers: 2, threads: 1, order: 'input', profile: true }),
    embedlineSystem(config, { id: 'embedline-int8', variant: 'int8', workers: 2, threads: 1, order: 'sorted', profile: true }),
    transformersJsSystem(model, THREADS),
    ...(model.name === DEFAULT_MODEL ? [fastEmbedSystem(model, { venv, threads: THREADS, outPrefix: join(benchDir, 'fastembed-run') })] : []),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '256' },
      seed: { type: 'string', default: '42' },
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      model: { type: 'string', default: DEFAULT_MODEL },
      'quiet-wait': { type: 'string', default: '120' },
    },
  });
  const [size, seed, runs] = [Number(values.size), Number(values.seed), Number(values.runs)];
  const settle = () => waitForQuiet(QUIET_THRESHOLD, Number(values['quiet-wait']) * 1000, log);
  const loaded = loadConfig(process.env);
  const config = { ...loaded, model: { ...loaded.model, name: values.model } };
  const benchDir = join(config.cacheDir, 'bench');
  await mkdir(benchDir, { recursive: true });
  const { store, sources } = modelStoreFor(config);
  const model = await readModelInfo(await store.ensure(values.model, sources, log), catalogueEntry(values.model));
  const shape = encoderShapeOf(model.dir);

  const sample = await loadSample({ size, seed }, model.tokenizerPath);
  log(`Sample: ${sample.file}\n  ${describeDistribution(sample.distribution)}\nFLOP ceiling:`);
  await settle();
  const peakMeter = startCpuMeter();
  const peak = await runPeak(15, log);
  const peakForeign = peakMeter.foreignShare();

  const wanted = values.only?.split(',');
  const systems = systemsFor(config, model, benchDir, join(config.cacheDir, 'bench-venv')).filter((s) => !wanted || wanted.includes(s.id));
  const { measured, skipped } = await measureAll(systems, sample, runs, settle);
  const rows = toRows(measured, sample, peak.measured.gflops, model, shape);
  const versions: Record<string, string> = {
    node: process.version,
    'onnxruntime-node': ortEnv.versions.node ?? 'unknown',
    '@huggingface/transformers': packageVersion('@huggingface/transformers'),
  };
  for (const m of measured) Object.assign(versions, m.result.versions);
  const command = `node dist/bench/encoder/runEncoderBench.js --model ${values.model} --size ${size} --seed ${seed} --runs ${runs}${values.only ? ` --only ${values.only}` : ''}`;
  const foreignCpu = { peak: peakForeign, ...Object.fromEntries(measured.map((m) => [m.system.id, m.result.foreign])) };
  process.stdout.write(`${renderReport({ sample, seed, runs, peak, rows, versions, skipped, foreignCpu, baselineId: BASELINE })}\n`);

  const date = new Date().toISOString();
  const json = JSON.stringify({ command, date, model: values.model, versions, sample: { file: sample.file, size, seed, distribution: sample.distribution }, peak, rows, skipped, foreignCpu }, null, 2);
  const suffix = values.model === DEFAULT_MODEL ? '' : `-${values.model}`;
  const file = join(benchDir, `encoder${suffix}-${date.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, json);
  await writeFile(join(benchDir, `encoder${suffix}-latest.json`), json);
  log(`Wrote ${file} (and encoder${suffix}-latest.json)`);
}

/** One system at a time, each after a quiet moment, with the CPU others took meanwhile. */
async function measureAll(systems: readonly BenchSystem[], sample: BenchSample, runs: number, settle: () => Promise<number>) {
  const measured: MeasuredSystem[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const system of systems) {
    log(`${system.label} (${system.config}): 1 warm-up + ${runs} timed passes…`);
    await settle();
    const result = await system.measure(sample, runs, { maxForeign: MAX_FOREIGN, maxPasses: runs * 4 });
    if (result.kind === 'skipped') {
      log(`  skipped: ${result.reason}`);
      skipped.push({ id: system.id, reason: result.reason });
      continue;
    }
    const s = (ms: number) => (ms / 1000).toFixed(2);
    const noise = `others took up to ${(result.foreign * 100).toFixed(0)}% of the CPUs in a kept pass; ${result.discarded} pass(es) redone`;
    log(`  median ${s(result.ms.median)} s [${s(result.ms.min)}–${s(result.ms.max)}]; ${noise}`);
    measured.push({ system, result });
  }
  return { measured, skipped };
}

function toRows(measured: readonly MeasuredSystem[], sample: BenchSample, peakGflops: number, model: ModelInfo, shape: EncoderShape): SystemRow[] {
  const reference = measured.find((m) => m.system.id === BASELINE)?.result.vectors;
  // Texts both truncate alike: within our max_seq_length, and under the 512 where transformers.js drops the final [SEP].
  const comparable = sample.lengths(Number.MAX_SAFE_INTEGER).map((n) => n <= model.maxSeqLength && n < 512);
  return measured.map(({ system, result }) => {
    const parity = reference && system.id !== BASELINE ? compareVectors(result.vectors, reference, comparable) : undefined;
    return toRow(system, result, sample.texts.length, peakGflops, parity, shape);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
