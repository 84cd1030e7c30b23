/**
 * HTTP overload (issue 11 item 2): the real server (`embedline serve`, default config unless
 * --config, real model, fp32) as a child process. First its capacity: req/s of single
 * long-paragraph requests from closed-loop clients at saturation. Then, on a fresh server each,
 * open-loop arrivals at each multiple of that rate (default 2× and 10×) for --run-s, from a
 * bounded client (at most --max-outstanding requests out; arrivals beyond are dropped and
 * counted; every request has --deadline-ms and a hard limit after it; every --retry-every-th 429
 * is retried once after its Retry-After). Meanwhile a probe thread hits /health and /metrics
 * every 100 ms and samples the server's RSS every 250 ms. When the arrivals stop, the capacity
 * client runs again for --recovery-s to see how soon throughput and latency are back to normal.
 * See docs/BENCHMARKS.md, "Reliability" → "Overload".
 *
 * Run: `npm run bench:overload -- [--multiples 2,10] [--run-s 60] [--capacity-s 20] [--recovery-s 10]`
 * Smoke (< 1 min of load): `npm run bench:overload -- --warmup-s 2 --capacity-s 5 --run-s 8 --recovery-s 3`
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/loadConfig.js';
import { startServer } from '../support/serverProcess.js';
import { closedLoop, EmbeddingClient, openLoop, singleTextBodies } from './httpLoad.js';
import { longParagraphs } from './longParagraphs.js';
import { renderMarkdown, summarizeCapacity, summarizeRun, type Capacity, type OverloadRun } from './overloadSummary.js';
import { startServerProbe } from './serverProbe.js';

interface Options {
  readonly multiples: number[];
  readonly runS: number;
  readonly capacityS: number;
  readonly warmupS: number;
  readonly recoveryS: number;
  readonly connections: number;
  readonly maxOutstanding: number;
  readonly deadlineMs: number;
  readonly retryEvery: number;
  readonly port: number;
  readonly config?: string;
  readonly out?: string;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = readOptions();
  const bodies = singleTextBodies(await longParagraphs());
  const env: Record<string, string> = options.config ? { EMBEDLINE_CONFIG: options.config } : {};
  let port = options.port;

  const capacity = await withServer(port++, env, async ({ url }) => {
    const client = new EmbeddingClient(url, options.connections, options.deadlineMs + 15_000);
    try {
      log(`capacity: warm-up ${options.warmupS} s, then ${options.capacityS} s at ${options.connections} closed-loop clients`);
      await closedLoop(client, bodies, options.connections, options.warmupS * 1000);
      return summarizeCapacity(await closedLoop(client, bodies, options.connections, options.capacityS * 1000), options.connections, options.capacityS);
    } finally {
      client.close();
    }
  });
  log(`capacity: ${capacity.requestsPerSec.toFixed(1)} req/s, p50 ${capacity.p50Ms.toFixed(0)} ms`);

  const runs: OverloadRun[] = [];
  for (const multiple of options.multiples) runs.push(await withServer(port++, env, (server) => overloadRun(server, multiple, capacity, bodies, options)));

  const markdown = renderMarkdown(capacity, runs);
  process.stdout.write(`${markdown}\n`);
  const command = `npm run bench:overload -- ${process.argv.slice(2).join(' ')}`.trim();
  const report = JSON.stringify({ command, date: new Date().toISOString(), cpu: `${cpus()[0]?.model ?? '?'} × ${availableParallelism()}`, node: process.version, options, capacity, runs }, null, 2);
  const out = options.out ?? join(loadConfig(process.env).cacheDir, 'bench', 'overload-latest.json');
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, report);
  await writeFile(out.replace(/\.json$/, '.md'), `${markdown}\n`);
  log(`wrote ${out} and its .md`);
}

async function overloadRun(server: { url: string; pid: number }, multiple: number, capacity: Capacity, bodies: readonly string[], options: Options): Promise<OverloadRun> {
  const warm = new EmbeddingClient(server.url, options.connections, options.deadlineMs + 15_000);
  // A fresh server has no throughput estimate yet (admission needs one) and cold sessions.
  await closedLoop(warm, bodies, options.connections, options.warmupS * 1000);
  warm.close();
  const ratePerSec = multiple * capacity.requestsPerSec;
  const probe = startServerProbe({ url: server.url, pid: server.pid, probeEveryMs: 100, rssEveryMs: 250, probeTimeoutMs: 5000 });
  const client = new EmbeddingClient(server.url, options.maxOutstanding + options.connections, options.deadlineMs + 15_000);
  try {
    const startedAt = Date.now();
    log(`${multiple}×: ${ratePerSec.toFixed(0)} arrivals/s for ${options.runS} s, at most ${options.maxOutstanding} outstanding`);
    const load = await openLoop(client, bodies, { ratePerSec, durationMs: options.runS * 1000, maxOutstanding: options.maxOutstanding, retryEvery: options.retryEvery });
    log(`${multiple}×: arrivals stopped; ${options.recoveryS} s of the capacity load`);
    const recoveryRecords = await closedLoop(client, bodies, options.connections, options.recoveryS * 1000);
    await load.settled;
    const probes = await probe.stop();
    return summarizeRun({ multiple, ratePerSec, durationS: options.runS, maxOutstanding: options.maxOutstanding, deadlineMs: options.deadlineMs, startedAt, load, recoveryRecords, recoveryS: options.recoveryS, probes, capacity });
  } finally {
    client.close();
  }
}

async function withServer<T>(port: number, env: Record<string, string>, body: (server: { url: string; pid: number }) => Promise<T>): Promise<T> {
  const server = await startServer(port, env);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      multiples: { type: 'string', default: '2,10' },
      'run-s': { type: 'string', default: '60' },
      'capacity-s': { type: 'string', default: '20' },
      'warmup-s': { type: 'string', default: '5' },
      'recovery-s': { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      'max-outstanding': { type: 'string', default: '1000' },
      'deadline-ms': { type: 'string', default: '30000' },
      'retry-every': { type: 'string', default: '10' },
      port: { type: 'string', default: '18480' },
      config: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const options: Options = {
    multiples: values.multiples.split(',').map(Number),
    runS: Number(values['run-s']),
    capacityS: Number(values['capacity-s']),
    warmupS: Number(values['warmup-s']),
    recoveryS: Number(values['recovery-s']),
    connections: Number(values.connections),
    maxOutstanding: Number(values['max-outstanding']),
    deadlineMs: Number(values['deadline-ms']),
    retryEvery: Number(values['retry-every']),
    port: Number(values.port),
    config: values.config,
    out: values.out,
  };
  const counts = [options.runS, options.capacityS, options.warmupS, options.recoveryS, options.connections, options.maxOutstanding, options.deadlineMs, options.port];
  if (![...counts, ...options.multiples].every((n) => Number.isFinite(n) && n > 0) || !(options.retryEvery >= 0)) throw new Error('durations, counts, --multiples and --port take positive numbers; --retry-every 0 or more');
  return options;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
