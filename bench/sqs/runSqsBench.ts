/**
 * SQS end to end: messages sent to a local ElasticMQ, embedded by 1 and 2 `embedline worker`
 * processes, results written by the file sink. Measures messages/s and texts/s while the queue is
 * flooded, and per-message latency (send → result file) both under that flood and at half the
 * measured throughput (open-loop arrivals). See docs/BENCHMARKS.md, section "SQS end to end".
 *
 * Run: `npx tsc -p . && node dist/bench/sqs/runSqsBench.js [--messages 2000] [--texts-per-message 1] [--workers 1,2] [--paced 300] [--quiet-wait 120]`
 * `--quiet-wait`: seconds to wait, before each worker count, for other processes to use under 10% of the CPUs.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildMessages, type OutgoingMessage } from '../../adapters/sqs/enqueue/buildMessages.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { startElasticMq, type ElasticMq } from '../../test/support/elasticmq.js';
import { buildCorpus, readCorpusTexts } from '../corpus/buildCorpus.js';
import { waitForQuiet } from '../encoder/cpuMeter.js';
import { inferenceWorkersPerProcess, startBenchWorkers } from './benchWorkers.js';
import { completionTimes, latencies, percentile } from './latency.js';
import { pipelineTextsPerSecond } from './pipelineBaseline.js';
import { sendFlood, sendPaced } from './send.js';

interface Options {
  readonly messages: number;
  readonly textsPerMessage: number;
  readonly workers: number[];
  readonly paced: number;
  readonly quietWaitSec: number;
}

export interface SqsBenchRow {
  readonly workers: number;
  readonly inferenceThreadsPerWorker: number;
  readonly messages: number;
  readonly textsPerMessage: number;
  readonly messagesPerSecond: number;
  readonly textsPerSecond: number;
  readonly floodLatencyMs: { p50: number; p95: number };
  readonly pacedPerSecond: number;
  readonly pacedLatencyMs: { p50: number; p95: number; p99: number };
  readonly othersCpuShareBefore: number;
}

/** Where in the corpus the measured messages start (the warm-up uses the first texts). */
const FLOOD_OFFSET = 1000;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = readOptions();
  const texts = await readCorpusTexts((await buildCorpus({ size: 10_000, seed: 42 })).file);
  const floodGroups = Array.from({ length: options.messages }, (_, m) => Array.from({ length: options.textsPerMessage }, (_, j) => texts[(FLOOD_OFFSET + m * options.textsPerMessage + j) % texts.length]!));
  await waitForQuiet(0.1, options.quietWaitSec * 1000, log);
  const pipelineTps = await pipelineTextsPerSecond(floodGroups);
  log(`in-process pipeline: ${pipelineTps.toFixed(1)} texts/s`);
  const mq = await startElasticMq({ queues: options.workers.map((k) => `bench-${k}`), visibilityTimeoutSec: 60 });
  const sqs = new SQSClient({ endpoint: mq.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const rows: SqsBenchRow[] = [];
  try {
    for (const workers of options.workers) rows.push(await runOne(workers, options, texts, mq, sqs));
  } finally {
    sqs.destroy();
    await mq.stop();
  }
  const command = `node dist/bench/sqs/runSqsBench.js ${process.argv.slice(2).join(' ')}`.trim();
  process.stdout.write(`${renderTable(rows)}\n\nIn-process pipeline on the same texts: ${pipelineTps.toFixed(1)} texts/s.\n`);
  const dir = join(loadConfig(process.env).cacheDir, 'bench');
  await mkdir(dir, { recursive: true });
  const report = JSON.stringify({ command, date: new Date().toISOString(), cpu: `${cpus()[0]?.model ?? '?'} × ${availableParallelism()}`, node: process.version, pipelineTextsPerSecond: pipelineTps, rows }, null, 2);
  await writeFile(join(dir, 'sqs-latest.json'), report);
  log(`wrote ${join(dir, 'sqs-latest.json')}`);
}

async function runOne(workerCount: number, options: Options, texts: readonly string[], mq: ElasticMq, sqs: SQSClient): Promise<SqsBenchRow> {
  const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: `bench-${workerCount}` }))).QueueUrl!;
  const othersCpuShareBefore = await waitForQuiet(0.1, options.quietWaitSec * 1000, log);
  const dir = await mkdtemp(join(tmpdir(), 'embedline-sqs-bench-'));
  const workers = await startBenchWorkers(workerCount, queueUrl, mq.endpoint, dir);
  try {
    const batch = (name: string, count: number, offset: number): OutgoingMessage[] =>
      buildMessages(
        Array.from({ length: count * options.textsPerMessage }, (_, i) => ({ id: String(i), text: texts[(offset + i) % texts.length]! })),
        { textsPerMessage: options.textsPerMessage, idPrefix: `${name}-`, source: 'corpus', maxMessageBytes: 262_144 },
      );
    // The first batches of a fresh ONNX Runtime session are slow; keep them out of the numbers.
    const warm = batch('warm', 20, 0);
    await sendFlood(sqs, queueUrl, warm);
    await completionTimes(dir, warm.map((m) => m.id), 60_000);

    log(`${workerCount} worker(s): flooding ${options.messages} messages`);
    const flood = batch('flood', options.messages, FLOOD_OFFSET);
    const floodSent = await sendFlood(sqs, queueUrl, flood);
    const floodDone = await completionTimes(dir, flood.map((m) => m.id), 900_000);
    const elapsedMs = Math.max(...floodDone.values()) - Math.min(...floodSent.values());
    const messagesPerSecond = (options.messages * 1000) / elapsedMs;
    const floodLatency = latencies(floodSent, floodDone);

    const pacedPerSecond = messagesPerSecond / 2;
    log(`${workerCount} worker(s): ${options.paced} messages at ${pacedPerSecond.toFixed(1)}/s`);
    const paced = batch('paced', options.paced, 5000);
    const pacedSent = await sendPaced(sqs, queueUrl, paced, pacedPerSecond);
    const pacedLatency = latencies(pacedSent, await completionTimes(dir, paced.map((m) => m.id), 300_000));
    return {
      workers: workerCount,
      inferenceThreadsPerWorker: inferenceWorkersPerProcess(workerCount),
      messages: options.messages,
      textsPerMessage: options.textsPerMessage,
      messagesPerSecond,
      textsPerSecond: messagesPerSecond * options.textsPerMessage,
      floodLatencyMs: { p50: percentile(floodLatency, 50), p95: percentile(floodLatency, 95) },
      pacedPerSecond,
      pacedLatencyMs: { p50: percentile(pacedLatency, 50), p95: percentile(pacedLatency, 95), p99: percentile(pacedLatency, 99) },
      othersCpuShareBefore,
    };
  } finally {
    const codes = await Promise.all(workers.map((w) => w.stop()));
    if (codes.some((c) => c !== 0)) log(`a worker exited with ${codes.join(', ')}`);
    await rm(dir, { recursive: true, force: true });
  }
}

function renderTable(rows: readonly SqsBenchRow[]): string {
  const ms = (v: number): string => `${Math.round(v)}`;
  return [
    '| workers × inference threads | messages × texts | messages/s | texts/s | flood p50 / p95 ms | paced rate /s | paced p50 / p95 / p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.workers} × ${r.inferenceThreadsPerWorker} | ${r.messages} × ${r.textsPerMessage} | ${r.messagesPerSecond.toFixed(1)} | ${r.textsPerSecond.toFixed(1)} | ${ms(r.floodLatencyMs.p50)} / ${ms(r.floodLatencyMs.p95)} | ${r.pacedPerSecond.toFixed(1)} | ${ms(r.pacedLatencyMs.p50)} / ${ms(r.pacedLatencyMs.p95)} / ${ms(r.pacedLatencyMs.p99)} |`),
  ].join('\n');
}

function readOptions(): Options {
  const { values } = parseArgs({ options: { messages: { type: 'string' }, 'texts-per-message': { type: 'string' }, workers: { type: 'string' }, paced: { type: 'string' }, 'quiet-wait': { type: 'string' } } });
  const options = {
    messages: Number(values.messages ?? 2000),
    textsPerMessage: Number(values['texts-per-message'] ?? 1),
    workers: (values.workers ?? '1,2').split(',').map(Number),
    paced: Number(values.paced ?? 300),
    quietWaitSec: Number(values['quiet-wait'] ?? 120),
  };
  if (![options.messages, options.textsPerMessage, options.paced, ...options.workers].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--messages, --texts-per-message, --paced and --workers take positive integers');
  return options;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
