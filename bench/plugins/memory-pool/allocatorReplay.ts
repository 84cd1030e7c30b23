/**
 * The allocator alone, in its own process: replays the corpus's batch shapes through the
 * TensorAllocator the container binds (plugin on or off), each batch's buffers making the same
 * transfer round trip they make to an inference worker (structuredClone with a transfer list),
 * with no inference in between. Isolates allocation time and the main-thread GC it causes from
 * the noise of two busy inference threads. Prints one JSON line. Started by runMemoryPoolBench.
 *
 * Run: `node dist/bench/plugins/memory-pool/allocatorReplay.js --mode pool --size 1000 --repeat 50`
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../core/config/loadConfig.js';
import { configSchema } from '../../../core/config/schema.js';
import { buildContainer } from '../../../core/container.js';
import { packBatch } from '../../../core/encoder/packBatch.js';
import { transferList } from '../../../core/encoder/workerProtocol.js';
import { MODEL_RUNTIME } from '../../../core/ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR } from '../../../core/ports/TensorAllocator.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { PooledAllocator } from '../../../plugins/memory-pool/PooledAllocator.js';
import { corpusBatches } from './corpusBatches.js';
import { watchGcPauses } from './gcPauses.js';
import { MeasuringAllocator } from './MeasuringAllocator.js';
import { MEMORY_POOL_MODES, type MemoryPoolMode, type ReplayResult } from './modes.js';
import { plainOccupancy, poolOccupancy } from './occupancy.js';

/** Batches in flight at once, as with two workers each running one and holding one queued. */
const IN_FLIGHT = 4;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, size: { type: 'string', default: '1000' }, seed: { type: 'string', default: '42' }, repeat: { type: 'string', default: '50' } } });
  const mode = values.mode as MemoryPoolMode;
  if (!(mode in MEMORY_POOL_MODES)) throw new Error(`--mode must be one of ${Object.keys(MEMORY_POOL_MODES).join(', ')}`);
  const config = Object.freeze(configSchema.parse({ cacheDir: loadConfig(process.env).cacheDir, ...MEMORY_POOL_MODES[mode] }));
  const container = buildContainer(config, PLUGIN_CATALOGUE);
  const { tokenizer } = await container.getAsync(MODEL_RUNTIME);
  const allocator = await container.getAsync(TENSOR_ALLOCATOR);
  const measuring = new MeasuringAllocator(allocator, allocator instanceof PooledAllocator ? poolOccupancy(allocator) : plainOccupancy());
  const { batches } = await corpusBatches(tokenizer, Number(values.size), Number(values.seed));

  const replay = async (): Promise<void> => {
    const inFlight: ReturnType<typeof packBatch>[] = [];
    for (const rows of batches) {
      inFlight.push(packBatch(rows, measuring));
      if (inFlight.length === IN_FLIGHT) await returnOldest(inFlight, measuring);
    }
    while (inFlight.length > 0) await returnOldest(inFlight, measuring);
  };
  for (let i = 0; i < 5; i++) await replay(); // warm-up: JIT, and (with the plugin) the pool
  measuring.startWindow();
  const gc = watchGcPauses();
  const started = performance.now();
  for (let i = 0; i < Number(values.repeat); i++) await replay();
  const seconds = (performance.now() - started) / 1000;
  await sleep(20);
  const window = measuring.endWindow();
  const result: ReplayResult = { mode, batches: batches.length * Number(values.repeat), seconds, mainGc: gc.stop(), ...window, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * The worker's side of the trip: the buffers cross a thread boundary and come back. Then one
 * turn of the event loop, as between two worker replies, so finalizers and GC tasks can run.
 */
async function returnOldest(inFlight: ReturnType<typeof packBatch>[], allocator: MeasuringAllocator): Promise<void> {
  const { buffers } = inFlight.shift()!;
  allocator.release(structuredClone(buffers, { transfer: transferList(buffers) }));
  await new Promise((resolve) => setImmediate(resolve));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
