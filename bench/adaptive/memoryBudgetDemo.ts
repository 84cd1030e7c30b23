/**
 * A tight memory budget, static batcher vs memory-aware-batcher (issue 14 item 2's
 * demonstration). Each policy runs the real CLI (`embedline embed`) in a child process inside a
 * memory cgroup with a hard limit and no swap: 256-token texts, a large static batch
 * (`--max-batch` rows, no token or padding limit) and one worker. The static batcher forms batches
 * whose activations alone pass the limit, so the kernel kills the process (or ONNX Runtime fails
 * the allocation); memory-aware-batcher keeps each batch within `--budget-mib` and completes.
 * Reported per policy: how it ended, the cgroup's peak memory, texts written, and the estimate of
 * the largest batch each policy may form.
 *
 * Needs root and a writable memory cgroup (v1 `/sys/fs/cgroup/memory` or v2 with the memory
 * controller); it says so and stops otherwise.
 *
 * Run: `npm run bench:memory-budget -- [--limit-mib 1024] [--budget-mib 256] [--texts 256] [--max-batch 128]`
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/loadConfig.js';
import { estimateBatchBytes, maxRowsWithin } from '../../plugins/memory-aware-batcher/memoryEstimate.js';
import { readModelDimensions } from '../../plugins/memory-aware-batcher/modelDimensions.js';

const { values } = parseArgs({
  options: {
    'limit-mib': { type: 'string', default: '1024' },
    'budget-mib': { type: 'string', default: '256' },
    texts: { type: 'string', default: '256' },
    'max-batch': { type: 'string', default: '128' },
    policies: { type: 'string', default: 'static,memory-aware' },
  },
});
const MiB = 1024 * 1024;
const SEQ_LEN = 256;

/** Common words that are one word piece each, so a text of n words is n + 2 tokens (the model's 256 at most). */
const WORDS = ['house', 'river', 'apple', 'green', 'table', 'music', 'water', 'light', 'paper', 'stone', 'cloud', 'train'];
/** Its first four words spell `row` in base 12, so every text differs (the pipeline embeds a repeated text once). */
const textOf = (row: number): string => Array.from({ length: SEQ_LEN - 2 }, (_, i) => WORDS[i < 4 ? Math.floor(row / 12 ** i) % 12 : (row + i) % WORDS.length]).join(' ');

interface MemoryCgroup {
  readonly dir: string;
  readonly version: 1 | 2;
}

async function createCgroup(name: string, limitBytes: number): Promise<MemoryCgroup> {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    const dir = join('/sys/fs/cgroup', name);
    await mkdir(dir);
    await writeFile(join(dir, 'memory.max'), String(limitBytes));
    await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => undefined);
    return { dir, version: 2 };
  }
  if (existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) {
    const dir = join('/sys/fs/cgroup/memory', name);
    await mkdir(dir);
    await writeFile(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    await writeFile(join(dir, 'memory.swappiness'), '0').catch(() => undefined);
    return { dir, version: 1 };
  }
  throw new Error('no writable memory cgroup here (neither cgroup v2 with memory.max nor v1 /sys/fs/cgroup/memory): run as root on a host that exposes one');
}

async function cgroupPeak(cg: MemoryCgroup): Promise<number> {
  const file = cg.version === 2 ? 'memory.peak' : 'memory.max_usage_in_bytes';
  return Number((await readFile(join(cg.dir, file), 'utf8')).trim());
}

async function oomKills(cg: MemoryCgroup): Promise<number> {
  const text = await readFile(join(cg.dir, cg.version === 2 ? 'memory.events' : 'memory.oom_control'), 'utf8').catch(() => '');
  return Number(/oom_kill (\d+)/.exec(text)?.[1] ?? 0);
}

interface Outcome {
  readonly policy: string;
  readonly ended: string;
  readonly peakMiB: number;
  readonly oomKills: number;
  readonly textsWritten: number;
  readonly largestBatchEstimateMiB: number;
  readonly stderrTail: string;
}

async function runPolicy(policy: string, input: string, work: string, limitBytes: number, budgetBytes: number, maxBatch: number, largestBatchBytes: number): Promise<Outcome> {
  const configFile = join(work, `${policy}.config.json`);
  const output = join(work, `${policy}.jsonl`);
  const config = {
    cacheDir: loadConfig(process.env).cacheDir,
    model: { verifyOnStart: false },
    encoder: { workers: 1 },
    batching: { maxBatchSize: maxBatch, maxBatchTokens: maxBatch * SEQ_LEN, maxPaddingRatio: 1, requestTimeoutMs: 600_000 },
    plugins: policy === 'memory-aware' ? ['memory-aware-batcher'] : [],
    pluginOptions: policy === 'memory-aware' ? { 'memory-aware-batcher': { budgetBytes } } : {},
  };
  await writeFile(configFile, JSON.stringify(config));
  const cg = await createCgroup(`embedline-memory-demo-${process.pid}-${policy}`, limitBytes);
  const cli = resolve('bin/embedline.js');
  try {
    const child = spawn('sh', ['-c', `echo $$ > ${cg.dir}/cgroup.procs && exec node ${cli} embed ${input} --output ${output} --chunk 256 --concurrency 4`], {
      env: { ...process.env, EMBEDLINE_CONFIG: configFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (c, s) => done([c, s])));
    const written = existsSync(output) ? (await readFile(output, 'utf8')).split('\n').filter(Boolean).length : 0;
    return {
      policy,
      ended: signal ? `killed (${signal})` : `exit ${code}`,
      peakMiB: Math.round((await cgroupPeak(cg)) / MiB),
      oomKills: await oomKills(cg),
      textsWritten: written,
      largestBatchEstimateMiB: Math.round(largestBatchBytes / MiB),
      stderrTail: stderr.trim().split('\n').slice(-2).join(' | '),
    };
  } finally {
    await rmdir(cg.dir).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const limitBytes = Number(values['limit-mib']) * MiB;
  const budgetBytes = Number(values['budget-mib']) * MiB;
  const count = Number(values.texts);
  const maxBatch = Number(values['max-batch']);
  const cacheDir = loadConfig(process.env).cacheDir;
  const dims = await readModelDimensions(join(cacheDir, 'models', loadConfig(process.env).model.name));
  const work = await mkdtemp(join(tmpdir(), 'embedline-memory-demo-'));
  try {
    const input = join(work, 'long.txt');
    await writeFile(input, `${Array.from({ length: count }, (_, i) => textOf(i)).join('\n')}\n`);
    const memoryAwareRows = maxRowsWithin(dims, SEQ_LEN, budgetBytes, 4);
    console.log(`limit ${values['limit-mib']} MiB (cgroup, no swap); ${count} texts of ${SEQ_LEN} tokens; static max batch ${maxBatch} (estimate ${Math.round(estimateBatchBytes(dims, maxBatch, SEQ_LEN, 4) / MiB)} MiB); memory-aware budget ${values['budget-mib']} MiB (${memoryAwareRows} rows)`);
    const results: Outcome[] = [];
    for (const policy of values.policies!.split(',')) {
      const rows = policy === 'memory-aware' ? Math.min(maxBatch, memoryAwareRows) : maxBatch;
      const outcome = await runPolicy(policy, input, work, limitBytes, budgetBytes, maxBatch, estimateBatchBytes(dims, rows, SEQ_LEN, 4));
      results.push(outcome);
      console.log(JSON.stringify(outcome));
    }
    console.log('\n| policy | largest batch (estimate MiB) | ended | texts written | cgroup peak MiB | OOM kills |\n| --- | --- | --- | --- | --- | --- |');
    for (const r of results) console.log(`| ${r.policy} | ${r.largestBatchEstimateMiB} | ${r.ended} | ${r.textsWritten} / ${count} | ${r.peakMiB} | ${r.oomKills} |`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
