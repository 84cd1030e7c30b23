/**
 * One memory-pool benchmark trial in its own process (so peak RSS belongs to one mode):
 * builds the container with the plugin on or off, takes the TensorAllocator it binds, and runs
 * the corpus through real inference workers exactly as the default scheduler does
 * (packBatch → WorkerPool.run → release). Prints one JSON line. Started by runMemoryPoolBench.
 *
 * Run: `node dist/bench/plugins/memory-pool/memoryPoolTrial.js --mode pool --size 512 --seed 42 --passes 2`
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../core/config/loadConfig.js';
import { configSchema } from '../../../core/config/schema.js';
import { buildContainer } from '../../../core/container.js';
import { packBatch } from '../../../core/encoder/packBatch.js';
import { sessionTuningFrom } from '../../../core/encoder/sessionTuning.js';
import { WorkerPool } from '../../../core/encoder/WorkerPool.js';
import { MODEL_RUNTIME } from '../../../core/ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR } from '../../../core/ports/TensorAllocator.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { PooledAllocator } from '../../../plugins/memory-pool/PooledAllocator.js';
import { corpusBatches } from './corpusBatches.js';
import { watchGcPauses } from './gcPauses.js';
import { MeasuringAllocator } from './MeasuringAllocator.js';
import { plainOccupancy, poolOccupancy } from './occupancy.js';
import { startCpuMeter } from '../../encoder/cpuMeter.js';
import { MEMORY_POOL_MODES, type MemoryPoolMode, type TrialPass, type TrialResult } from './modes.js';

/** Share of the CPUs other processes may take during a kept pass. */
const NOISY_PASS = 0.05;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, size: { type: 'string', default: '512' }, seed: { type: 'string', default: '42' }, passes: { type: 'string', default: '2' } } });
  const mode = values.mode as MemoryPoolMode;
  if (!(mode in MEMORY_POOL_MODES)) throw new Error(`--mode must be one of ${Object.keys(MEMORY_POOL_MODES).join(', ')}`);
  const config = Object.freeze(configSchema.parse({ cacheDir: loadConfig(process.env).cacheDir, encoder: { workers: 2, intraOpThreads: 1 }, ...MEMORY_POOL_MODES[mode] }));
  const container = buildContainer(config, PLUGIN_CATALOGUE);
  const { model, tokenizer } = await container.getAsync(MODEL_RUNTIME);
  const allocator = await container.getAsync(TENSOR_ALLOCATOR);
  const measuring = new MeasuringAllocator(allocator, allocator instanceof PooledAllocator ? poolOccupancy(allocator) : plainOccupancy());

  const { texts, batches } = await corpusBatches(tokenizer, Number(values.size), Number(values.seed));

  const pool = await WorkerPool.start(config.encoder.workers, { modelPath: model.onnxPath('fp32'), tuning: sessionTuningFrom(config), dimensions: model.dimensions });
  const pass = async (): Promise<number> => {
    const outputs = await Promise.all(batches.map((rows) => pool.run(() => packBatch(rows, measuring), (b) => measuring.release(b))));
    return outputs.reduce((sum, o) => sum + o.timings.gcMs, 0);
  };
  try {
    await pass(); // warm-up: sessions, ORT arenas, and (with the plugin) the pool
    const wanted = Number(values.passes);
    const passes: TrialPass[] = [];
    let redone = 0;
    while (passes.length < wanted) {
      measuring.startWindow();
      const gc = watchGcPauses();
      const meter = startCpuMeter();
      const started = performance.now();
      const workerGcMs = await pass();
      const seconds = (performance.now() - started) / 1000;
      const foreignCpu = meter.foreignShare();
      await sleep(20); // gc entries arrive asynchronously
      const measured = { seconds, workerGcMs, foreignCpu, mainGc: gc.stop(), ...measuring.endWindow() };
      // A pass other processes disturbed is redone, up to 4× the passes asked for; then it counts as it is.
      if (foreignCpu > NOISY_PASS && redone < 4 * wanted) redone++;
      else passes.push(measured);
    }
    const result: TrialResult = { mode, texts, batches: batches.length, passes, redonePasses: redone, maxRssBytes: process.resourceUsage().maxRSS * 1024, poolStats: allocator instanceof PooledAllocator ? allocator.stats() : undefined };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await pool.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
