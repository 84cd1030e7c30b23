/**
 * Issue 12 item 5: what each precision costs and what a mixed-priority load gains from it.
 *
 * 1. Sentences/s per precision through the production pipeline with the `precision` plugin (the
 *    same `pipeline.embed(texts, { precision })` call `embedline embed --precision` makes), on
 *    held-out real text: every session warmed, then `--runs` rounds, each timing every precision once.
 * 2. `embedline serve` with the plugin under a closed-loop load of `--clients` single-text
 *    requests for `--seconds`, priorities drawn 10% critical / 60% normal / 30% background
 *    (so fp32 / int16 / int8 by the default mapping), against the same load with every request
 *    asking for fp32 (`X-Embedline-Precision: fp32`): per-priority p50/p99 and total req/s.
 *
 * The model files are linked into a scratch cache directory and calibrated there
 * (`embedline model calibrate`, 10,000 corpus texts), so the shared model directory is untouched.
 *
 * Run: `npm run build && node dist/bench/precision/speed.js [--runs 5] [--texts 1000] [--clients 32] [--seconds 20]`
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { configSchema } from '../../core/config/schema.js';
import type { Priority } from '../../core/pipeline/types.js';
import { startEmbedline } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { buildCorpus } from '../corpus/buildCorpus.js';
import { mulberry32 } from '../corpus/prng.js';
import { startServer } from '../support/serverProcess.js';
import { median, percentile } from '../support/stats.js';
import { realModelDir } from './modelDir.js';

const CLI = fileURLToPath(new URL('../../../bin/embedline.js', import.meta.url));
const MODEL = 'all-MiniLM-L6-v2';
const PRECISIONS = ['fp32', 'float16', 'int16', 'uint8', 'int8', 'binary'] as const;
const MIX: readonly [Priority, number][] = [
  ['critical', 0.1],
  ['normal', 0.6],
  ['background', 0.3],
];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    texts: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '20' },
  },
});
const [runs, textCount, clients, seconds] = [Number(values.runs), Number(values.texts), Number(values.clients), Number(values.seconds)];
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** A cache dir whose model directory links the pulled files, so calibration writes only there. */
async function scratchCache(): Promise<string> {
  const source = await realModelDir();
  const cacheDir = await mkdtemp(join(tmpdir(), 'embedline-precision-speed-'));
  const target = join(cacheDir, 'models', MODEL);
  const link = async (from: string, to: string): Promise<void> => {
    await mkdir(to, { recursive: true });
    for (const entry of await readdir(from, { withFileTypes: true })) {
      if (entry.isDirectory()) await link(join(from, entry.name), join(to, entry.name));
      else if (entry.name === 'manifest.json' || entry.name === 'quantization.json') await copyFile(join(from, entry.name), join(to, entry.name));
      else await symlink(join(from, entry.name), join(to, entry.name));
    }
  };
  await link(source, target);
  return cacheDir;
}

async function sentencesPerSecond(cacheDir: string, texts: readonly string[]): Promise<{ precision: string; median: number; min: number; max: number }[]> {
  const config = configSchema.parse({ cacheDir, plugins: ['precision'], model: { autoPull: false }, batching: { requestTimeoutMs: 600_000 } });
  const runtime = await startEmbedline(Object.freeze(config), PLUGIN_CATALOGUE);
  try {
    // Warm every session first (the int8 one starts on its first batch), then interleave the
    // precisions within each round, so a busy moment on the machine hits them all alike.
    for (const precision of PRECISIONS) await runtime.pipeline.embed(texts.slice(0, 64), { precision });
    const rates = new Map<string, number[]>(PRECISIONS.map((p) => [p, []]));
    for (let run = 0; run < runs; run++) {
      for (const precision of PRECISIONS) {
        const started = performance.now();
        await runtime.pipeline.embed(texts, { precision });
        rates.get(precision)!.push(texts.length / ((performance.now() - started) / 1000));
      }
    }
    return PRECISIONS.map((precision) => {
      const list = rates.get(precision)!;
      log(`${precision}: ${median(list).toFixed(0)} sentences/s`);
      return { precision, median: median(list), min: Math.min(...list), max: Math.max(...list) };
    });
  } finally {
    await runtime.close();
  }
}

interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly byPriority: Record<Priority, { count: number; p50: number; p99: number }>;
}

/** Closed loop: each client sends one text, waits for the answer, sends the next. */
async function mixedLoad(url: string, texts: readonly string[], allFp32: boolean): Promise<LoadResult> {
  const random = mulberry32(allFp32 ? 11 : 7);
  const pick = (): Priority => {
    let r = random();
    for (const [priority, share] of MIX) if ((r -= share) < 0) return priority;
    return 'background';
  };
  const latencies: Record<Priority, number[]> = { critical: [], normal: [], background: [] };
  let errors = 0;
  let next = 0;
  const endAt = performance.now() + seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < endAt) {
      const priority = pick();
      const text = texts[next++ % texts.length]!;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-priority': priority };
      if (allFp32) headers['x-embedline-precision'] = 'fp32';
      const started = performance.now();
      const response = await fetch(`${url}/v1/embeddings`, { method: 'POST', headers, body: JSON.stringify({ input: [text] }) }).catch(() => undefined);
      await response?.arrayBuffer();
      if (response?.ok) latencies[priority].push(performance.now() - started);
      else errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  const summary = (list: number[]) => ({ count: list.length, p50: percentile(list, 50), p99: percentile(list, 99) });
  const requests = latencies.critical.length + latencies.normal.length + latencies.background.length;
  return { requests, errors, perSecond: requests / elapsed, byPriority: { critical: summary(latencies.critical), normal: summary(latencies.normal), background: summary(latencies.background) } };
}

async function main(): Promise<void> {
  const { file } = await buildCorpus({ size: 12_000, seed: 42 });
  const all = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const cacheDir = await scratchCache();
  try {
    const calibrationFile = join(cacheDir, 'calibration.txt');
    // One text per line for the CLI reader; the measured texts below are not among them.
    await writeFile(calibrationFile, `${all.slice(0, 10_000).map((t) => t.replace(/\s+/g, ' ')).join('\n')}\n`);
    log('calibrating on 10,000 corpus texts…');
    const calibrated = spawnSync(process.execPath, [CLI, 'model', 'calibrate', '--texts', calibrationFile], { env: { ...process.env, EMBEDLINE_CACHE_DIR: cacheDir, EMBEDLINE_MODEL_AUTO_PULL: 'false' }, stdio: ['ignore', 'inherit', 'inherit'] });
    if (calibrated.status !== 0) throw new Error(`embedline model calibrate exited ${calibrated.status}`);
    const heldOut = all.slice(10_000, 10_000 + textCount);

    const speed = await sentencesPerSecond(cacheDir, heldOut);

    const server = await startServer(18_391, { EMBEDLINE_CACHE_DIR: cacheDir, EMBEDLINE_MODEL_AUTO_PULL: 'false', EMBEDLINE_PLUGINS: 'precision' });
    let mixed: LoadResult;
    let fp32: LoadResult;
    try {
      await mixedLoad(server.url, heldOut.slice(0, 200), false); // warm every session the mix uses
      mixed = await mixedLoad(server.url, heldOut, false);
      fp32 = await mixedLoad(server.url, heldOut, true);
    } finally {
      await server.stop();
    }

    const lines = [
      `## Precision speed (${heldOut.length} held-out corpus texts, ${runs} timed passes; HTTP: ${clients} clients × ${seconds} s, one text per request)`,
      '',
      '| precision | model variant | sentences/s median [min–max] | vs fp32 |',
      '| --- | --- | --- | --- |',
      ...speed.map((r) => `| ${r.precision} | ${r.precision === 'int8' ? 'int8' : 'fp32'} | ${r.median.toFixed(0)} [${r.min.toFixed(0)}–${r.max.toFixed(0)}] | ${(r.median / speed[0]!.median).toFixed(2)}× |`),
      '',
      '| load | req/s | errors | critical p50 / p99 ms | normal p50 / p99 ms | background p50 / p99 ms |',
      '| --- | --- | --- | --- | --- | --- |',
      ...([['10/60/30 by priority (fp32 / int16 / int8)', mixed], ['the same, every request fp32', fp32]] as const).map(
        ([name, r]) => `| ${name} | ${r.perSecond.toFixed(0)} | ${r.errors} | ${(['critical', 'normal', 'background'] as const).map((p) => `${r.byPriority[p].p50.toFixed(0)} / ${r.byPriority[p].p99.toFixed(0)}`).join(' | ')} |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

await main();
