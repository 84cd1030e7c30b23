/**
 * The device half of `run-gpu-bench.sh run`: onnxruntime-node on one execution provider, on the
 * GPU-ready variant. Each section prints as it finishes and a failing one (a shape over a
 * device limit, say) is reported and skipped, so one run on a borrowed GPU yields everything it
 * can; results.json is rewritten after each section for torchBench.py's ratio table.
 *
 * Run: `node dist/bench/gpu/gpuBench.js --model M.onnx --data DIR [--ep webgpu] [--batches 32,128,512] [--seq 128]
 *   [--texts N] [--out results.json] [--profile-dir DIR]`
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { env as ortEnv, type InferenceSession } from 'onnxruntime-node';
import { benchSession } from './benchSession.js';
import { cosineStats } from './cosineStats.js';
import { profileTopOps } from './profileTopOps.js';
import { realTextPass } from './realTextThroughput.js';
import { dispose, fullLengthFeeds, syntheticThroughput } from './syntheticThroughput.js';
import { readTokenCorpus } from './tokenCorpus.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    ep: { type: 'string', default: 'webgpu' },
    batches: { type: 'string', default: '32,128,512' },
    seq: { type: 'string', default: '128' },
    'text-batch': { type: 'string', default: '128' },
    'profile-batch': { type: 'string', default: '128' },
    /** Replay only the first N texts (a quick CPU check of the script). */
    texts: { type: 'string' },
    out: { type: 'string' },
    'profile-dir': { type: 'string', default: tmpdir() },
  },
});
if (!values.model || !values.data) throw new Error('--model and --data are required');
const model = values.model;
const data = values.data;
const ep = values.ep!;
const seq = Number(values.seq);
const results: Record<string, unknown> = { ep, model, node: process.version, onnxruntime: ortEnv.versions.common, errors: {} };
const say = (line: string): void => void process.stdout.write(`[${ep}] ${line}\n`);

const t0 = performance.now();
const session = await benchSession(model, ep);
results.sessionCreateMs = performance.now() - t0;
say(`session ready in ${(results.sessionCreateMs as number).toFixed(0)} ms (${model})`);

for (const batch of values.batches!.split(',').map(Number)) await attempt(`shape bs ${batch}`, () => measureShape(session, batch));
await attempt('real text', () => measureRealText(session));
await session.release();
await attempt('profile', measureProfile);
if (Object.keys(results.errors as object).length > 0) process.exitCode = 1;

async function measureShape(s: InferenceSession, batch: number): Promise<void> {
  const shape = await syntheticThroughput(s, batch, seq);
  results.shapes = [...((results.shapes as unknown[]) ?? []), shape];
  say(`bs ${batch} × seq ${seq}: ${shape.seqPerSec.toFixed(0)} seq/s (${shape.msPerBatch.toFixed(1)} ms/batch, ${shape.iterations} runs)`);
}

async function measureRealText(s: InferenceSession): Promise<void> {
  const { corpus, reference } = await readTokenCorpus(data);
  const texts = corpus.ids.slice(0, values.texts ? Number(values.texts) : undefined).map((ids) => Int32Array.from(ids));
  const textBatch = Number(values['text-batch']);
  const limits = { maxBatchSize: textBatch, maxBatchTokens: textBatch * corpus.maxTokens };
  await realTextPass(s, texts, limits, corpus.dimensions);
  const passes = [];
  for (let i = 0; i < 3; i++) passes.push(await realTextPass(s, texts, limits, corpus.dimensions));
  const best = passes.reduce((a, b) => (b.ms < a.ms ? b : a));
  const parity = cosineStats(best.vectors, reference.slice(0, texts.length));
  const textsPerSec = (texts.length * 1000) / best.ms;
  const tokensPerSec = (best.realTokens * 1000) / best.ms;
  results.realText = { texts: texts.length, batches: best.batches, realTokens: best.realTokens, padding: 1 - best.realTokens / best.paddedCells, ms: best.ms, textsPerSec, tokensPerSec, vsFp32Export: parity };
  say(`real text (${texts.length} Debian descriptions, ≤${textBatch}/batch, length-sorted): ${textsPerSec.toFixed(0)} texts/s, ${tokensPerSec.toFixed(0)} tokens/s`);
  say(`vectors vs the fp32 export's: min cosine ${parity.min.toFixed(6)}, mean ${parity.mean.toFixed(7)}`);
}

async function measureProfile(): Promise<void> {
  const batch = Number(values['profile-batch']);
  const dir = values['profile-dir']!;
  const profiled = await benchSession(model, ep, join(dir, `profile-${ep}`));
  const feeds = fullLengthFeeds(batch, seq);
  for (let i = 0; i < 4; i++) dispose(await profiled.run(feeds));
  // onnxruntime-node returns nothing from endProfiling; the trace is `<prefix>_<timestamp>.json`.
  profiled.endProfiling();
  await profiled.release();
  const traceFile = await newestFile(dir, `profile-${ep}`);
  const ops = await profileTopOps(traceFile);
  results.profile = { batch, seq, traceFile, ops: ops.slice(0, 40) };
  for (const cat of new Set(ops.map((o) => o.cat))) {
    say(`profile bs ${batch} × seq ${seq}, category ${cat}, top ops (share, total, calls, op, provider):`);
    for (const o of ops.filter((x) => x.cat === cat).slice(0, 12)) {
      say(`  ${(o.share * 100).toFixed(1).padStart(5)}%  ${o.ms.toFixed(1).padStart(9)} ms  ${String(o.calls).padStart(5)}×  ${o.op}  ${o.provider}`);
    }
  }
}

async function attempt(name: string, section: () => Promise<void>): Promise<void> {
  try {
    await section();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    (results.errors as Record<string, string>)[name] = message;
    say(`${name} FAILED: ${message.trim().split('\n')[0]}`);
  }
  if (values.out) await writeFile(values.out, JSON.stringify(results, null, 2));
}

async function newestFile(dir: string, prefix: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.json'));
  const dated = await Promise.all(names.map(async (n) => ({ path: join(dir, n), mtime: (await stat(join(dir, n))).mtimeMs })));
  const newest = dated.sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) throw new Error(`no ${prefix}*.json profile in ${dir}`);
  return newest.path;
}
