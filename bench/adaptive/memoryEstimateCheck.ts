/**
 * Checks memory-aware-batcher's estimate against measured peak memory: for each batch shape, a
 * fresh child process starts the pipeline with one worker, runs a small warm-up batch, then one
 * batch of that shape, and reports how far its peak RSS rose (process maxRSS covers the worker
 * thread and ONNX Runtime's arena) beside the estimate for the shape the batcher really formed.
 *
 * Run: `npm run build && node dist/bench/adaptive/memoryEstimateCheck.js [--shapes 8x64,32x128,16x256,64x256]`
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { configSchema } from '../../core/config/schema.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { startEmbedline } from '../../core/runtime.js';
import { observerModule } from '../../adapters/prometheus/observerModule.js';
import { estimateBatchBytes } from '../../plugins/memory-aware-batcher/memoryEstimate.js';
import { readModelDimensions } from '../../plugins/memory-aware-batcher/modelDimensions.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';

const { values } = parseArgs({ options: { shapes: { type: 'string', default: '8x64,32x128,16x256,64x256' }, child: { type: 'string' } } });

/** Common words that are one word piece each, so a text of n words is n + 2 tokens. */
const WORDS = ['house', 'river', 'apple', 'green', 'table', 'music', 'water', 'light', 'paper', 'stone', 'cloud', 'train'];
const textOf = (row: number, tokens: number): string => Array.from({ length: tokens - 2 }, (_, i) => WORDS[(row + i) % WORDS.length]).join(' ');

async function child(rows: number, seqLen: number): Promise<void> {
  const cacheDir = loadConfig(process.env).cacheDir;
  const config = configSchema.parse({ cacheDir, encoder: { workers: 1 }, batching: { maxBatchSize: 4096, maxBatchTokens: 1_000_000, maxPaddingRatio: 1 } });
  let shape = { size: 0, seqLen: 0 };
  const runtime = await startEmbedline(Object.freeze(config), PLUGIN_CATALOGUE, [observerModule({ onBatch: (b) => (shape = { size: b.size, seqLen: b.seqLen }) })]);
  try {
    await runtime.pipeline.embed([textOf(0, 8)]);
    const before = process.resourceUsage().maxRSS * 1024;
    await runtime.pipeline.embed(Array.from({ length: rows }, (_, r) => textOf(r, seqLen)));
    const measured = process.resourceUsage().maxRSS * 1024 - before;
    const dims = await readModelDimensions((await import('node:path')).join(cacheDir, 'models', config.model.name));
    process.stdout.write(`${JSON.stringify({ ...shape, measured, estimated: estimateBatchBytes(dims, shape.size, shape.seqLen, 4) })}\n`);
  } finally {
    await runtime.close();
  }
}

function runChild(shape: string): Promise<{ size: number; seqLen: number; measured: number; estimated: number }> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [fileURLToPath(import.meta.url), '--child', shape], (error, stdout, stderr) => {
      if (error) return reject(new Error(`${shape}: ${stderr || error.message}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    }),
  );
}

if (values.child) {
  const [rows, seqLen] = values.child.split('x').map(Number) as [number, number];
  await child(rows, seqLen);
} else {
  console.log('| batch (rows x len) | estimated MB | measured peak RSS rise MB | error |');
  console.log('| --- | --- | --- | --- |');
  for (const shape of values.shapes.split(',')) {
    const r = await runChild(shape);
    console.log(`| ${r.size} x ${r.seqLen} | ${(r.estimated / 1e6).toFixed(0)} | ${(r.measured / 1e6).toFixed(0)} | ${(((r.estimated - r.measured) / r.measured) * 100).toFixed(0)}% |`);
  }
}
