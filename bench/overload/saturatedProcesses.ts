import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMessages } from '../../adapters/sqs/enqueue/buildMessages.js';
import { startElasticMq } from '../../test/support/elasticmq.js';
import { sendFlood } from '../sqs/send.js';
import { percentile } from '../support/stats.js';
import { startServer } from '../support/serverProcess.js';
import { startBacklogWorker } from './backlogWorker.js';
import { closedLoop, EmbeddingClient, singleTextBodies } from './httpLoad.js';
import { startServerProbe, type MetricsPoint, type RssPoint } from './serverProbe.js';
import { heartbeatIntervals, startRecordingProxy } from './sqsRecordingProxy.js';

const PRELOAD = fileURLToPath(new URL('./eventLoopPreload.js', import.meta.url));

/** A served process's main-thread event-loop delay, from its per-second preload records. */
export interface EventLoopSummary {
  readonly seconds: number;
  /** Median of the 1-s p50s. */
  readonly p50Ms: number;
  /** Median and worst of the 1-s p99s. */
  readonly p99MedianMs: number;
  readonly p99WorstMs: number;
  readonly maxMs: number;
}

export interface ServeSaturated {
  readonly process: 'embedline serve';
  readonly connections: number;
  readonly eventLoop: EventLoopSummary;
  readonly health: { readonly probes: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly over100Ms: number; readonly failed: number };
  /** Share of the inference workers' time in ONNX Runtime: ~1 means every worker was saturated. */
  readonly inferenceBusyShare: number;
  /** The process's CPU time over wall time × cores (/proc/<pid>/stat). */
  readonly processCpuShare: number;
}

export interface WorkerSaturated {
  readonly process: 'embedline worker';
  readonly visibilityTimeoutSec: number;
  readonly heartbeatIntervalMs: number;
  readonly eventLoop: EventLoopSummary;
  readonly heartbeat: { readonly intervals: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly lateOver1s: number; readonly overVisibilityTimeout: number };
  readonly inferenceBusyShare: number;
  readonly processCpuShare: number;
}

function preloadEnv(file: string): Record<string, string> {
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PRELOAD}`.trim(), EMBEDLINE_BENCH_EVENT_LOOP_FILE: file };
}

async function eventLoopOf(file: string, from: number, to: number): Promise<EventLoopSummary> {
  const rows = (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { at: number; p50Ms: number; p99Ms: number; maxMs: number })
    .filter((r) => r.at > from && r.at <= to);
  return {
    seconds: rows.length,
    p50Ms: percentile(rows.map((r) => r.p50Ms), 50),
    p99MedianMs: percentile(rows.map((r) => r.p99Ms), 50),
    p99WorstMs: Math.max(...rows.map((r) => r.p99Ms)),
    maxMs: Math.max(...rows.map((r) => r.maxMs)),
  };
}

function cpuShare(rss: readonly RssPoint[]): number {
  const points = rss.filter((p) => Number.isFinite(p.cpuSeconds));
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || last.at <= first.at) return Number.NaN;
  return (last.cpuSeconds - first.cpuSeconds) / (((last.at - first.at) / 1000) * availableParallelism());
}

function busyShare(points: readonly MetricsPoint[], workers: number): number {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || last.at <= first.at) return Number.NaN;
  return (last.inferenceSeconds - first.inferenceSeconds) / (((last.at - first.at) / 1000) * workers);
}

/**
 * `embedline serve` (production path, default config) kept saturated by `connections` closed-loop
 * clients of long paragraphs for `seconds`, /health probed every 100 ms from a thread of its own.
 */
export async function serveSaturated(texts: readonly string[], seconds: number, connections: number, workers: number, port: number): Promise<ServeSaturated> {
  const dir = await mkdtemp(join(tmpdir(), 'embedline-eld-'));
  const file = join(dir, 'serve.jsonl');
  const server = await startServer(port, preloadEnv(file));
  const bodies = singleTextBodies(texts);
  const client = new EmbeddingClient(server.url, connections, 120_000);
  try {
    await closedLoop(client, bodies, connections, 3000);
    const probe = startServerProbe({ url: server.url, pid: server.pid, probeEveryMs: 100, rssEveryMs: 1000, probeTimeoutMs: 5000 });
    const from = Date.now();
    await closedLoop(client, bodies, connections, seconds * 1000);
    const to = Date.now();
    const probes = await probe.stop();
    const ms = probes.health.map((h) => h.ms);
    return {
      process: 'embedline serve',
      connections,
      eventLoop: await eventLoopOf(file, from, to),
      health: { probes: ms.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: Math.max(0, ...ms), over100Ms: ms.filter((m) => m >= 100).length, failed: probes.health.filter((h) => h.status !== 200).length },
      inferenceBusyShare: busyShare(probes.points.filter((p) => p.at >= from && p.at <= to), workers),
      processCpuShare: cpuShare(probes.rss.filter((p) => p.at >= from && p.at <= to)),
    };
  } finally {
    client.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `embedline worker` (production path) on a real ElasticMQ behind a recording proxy, with more
 * messages queued than it can embed in `seconds`: its event-loop delay, and how punctually the
 * heartbeat extended each held message (the interval from receive to the first extension and
 * between extensions, against the configured interval: a third of the visibility timeout).
 */
export async function workerSaturated(texts: readonly string[], seconds: number, visibilityTimeoutSec: number, workers: number): Promise<WorkerSaturated> {
  const dir = await mkdtemp(join(tmpdir(), 'embedline-eld-'));
  const file = join(dir, 'worker.jsonl');
  const mq = await startElasticMq({ queues: ['eld'], visibilityTimeoutSec, maxReceiveCount: 10 });
  const proxy = await startRecordingProxy(mq.endpoint);
  const sqs = new SQSClient({ endpoint: mq.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const heartbeatIntervalMs = Math.max(1, Math.floor(visibilityTimeoutSec / 3)) * 1000;
  try {
    const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'eld' }))).QueueUrl!;
    // 160 texts/s for the whole run: more than one machine embeds, so messages always wait.
    const rows = Array.from({ length: seconds * 160 }, (_, i) => ({ id: String(i), text: texts[i % texts.length]! }));
    await sendFlood(sqs, queueUrl, buildMessages(rows, { textsPerMessage: 4, idPrefix: 'eld-', source: 'corpus', maxMessageBytes: 262_144 }));
    const worker = await startBacklogWorker(queueUrl, proxy.endpoint, join(dir, 'results'), { EMBEDLINE_SQS_VISIBILITY_TIMEOUT: String(visibilityTimeoutSec), ...preloadEnv(file) });
    try {
      await worker.storedAtLeast(5, 600_000); // past the cold first batches
      const probe = startServerProbe({ url: worker.metricsUrl, pid: worker.pid, probeEveryMs: 1000, rssEveryMs: 1000, probeTimeoutMs: 5000 });
      const from = Date.now();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const to = Date.now();
      const probes = await probe.stop();
      const intervals = heartbeatIntervals(proxy.log);
      return {
        process: 'embedline worker',
        visibilityTimeoutSec,
        heartbeatIntervalMs,
        eventLoop: await eventLoopOf(file, from, to),
        heartbeat: {
          intervals: intervals.length,
          p50Ms: percentile(intervals, 50),
          p99Ms: percentile(intervals, 99),
          maxMs: Math.max(0, ...intervals),
          lateOver1s: intervals.filter((i) => i > heartbeatIntervalMs + 1000).length,
          overVisibilityTimeout: intervals.filter((i) => i >= visibilityTimeoutSec * 1000).length,
        },
        inferenceBusyShare: busyShare(probes.points.filter((p) => p.at >= from && p.at <= to), workers),
        processCpuShare: cpuShare(probes.rss.filter((p) => p.at >= from && p.at <= to)),
      };
    } finally {
      worker.child.kill('SIGKILL'); // what it holds does not matter here; a drain would take minutes
      await new Promise((r) => (worker.child.exitCode === null ? worker.child.once('exit', r) : r(undefined)));
    }
  } finally {
    sqs.destroy();
    await proxy.stop();
    await mq.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
