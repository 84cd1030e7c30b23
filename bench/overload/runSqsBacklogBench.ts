/**
 * SQS worker with a 10× backlog (issue 11 item 2): a real ElasticMQ, the real `embedline worker`
 * (production path, default config but for the local queue, the file sink, debug logs and
 * --visibility-s) as a child process. Its rate is measured first on a small flood; then the
 * queue is filled with --multiple × what it embeds in one visibility timeout, and the run
 * reports: peak RSS (and whether it still grew in the second half), messages received again
 * while held (receive count > 1 with no failure logged: the heartbeat must prevent it), results
 * stored twice, inference busy share and process CPU share while messages waited, DLQ
 * contents and the total time. See docs/BENCHMARKS.md, "Reliability" → "SQS backlog".
 *
 * Run: `npm run bench:sqs-backlog -- [--visibility-s 20] [--multiple 10] [--texts-per-message 4]`
 * Smoke: `npm run bench:sqs-backlog -- --visibility-s 5 --multiple 2 --calibrate 20`
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildMessages, type OutgoingMessage } from '../../adapters/sqs/enqueue/buildMessages.js';
import { loadConfig } from '../../core/config/loadConfig.js';
import { startElasticMq } from '../../test/support/elasticmq.js';
import { sendFlood } from '../sqs/send.js';
import { startBacklogWorker, type BacklogWorker } from './backlogWorker.js';
import { longParagraphs } from './longParagraphs.js';
import { metricSum, startServerProbe, type MetricsPoint, type RssPoint } from './serverProbe.js';

interface Options {
  readonly visibilityS: number;
  readonly multiple: number;
  readonly textsPerMessage: number;
  readonly calibrate: number;
  readonly maxMessages: number;
  readonly out?: string;
}

interface QueuePoint {
  readonly at: number;
  readonly visible: number;
  readonly inFlight: number;
}

const MIB = 1024 * 1024;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = readOptions();
  const texts = await longParagraphs();
  let offset = 0;
  const batch = (name: string, count: number): OutgoingMessage[] => {
    const rows = Array.from({ length: count * options.textsPerMessage }, (_, i) => ({ id: String(i), text: texts[(offset + i) % texts.length]! }));
    offset += rows.length;
    return buildMessages(rows, { textsPerMessage: options.textsPerMessage, idPrefix: `${name}-`, source: 'corpus', maxMessageBytes: 262_144 });
  };
  const mq = await startElasticMq({ queues: ['backlog'], visibilityTimeoutSec: options.visibilityS, maxReceiveCount: 5 });
  const sqs = new SQSClient({ endpoint: mq.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const dir = await mkdtemp(join(tmpdir(), 'embedline-sqs-backlog-'));
  let worker: BacklogWorker | undefined;
  try {
    const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'backlog' }))).QueueUrl!;
    const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'backlog-dlq' }))).QueueUrl!;
    worker = await startBacklogWorker(queueUrl, mq.endpoint, dir, { EMBEDLINE_SQS_VISIBILITY_TIMEOUT: String(options.visibilityS) });
    let expected = 0;
    const flood = async (messages: OutgoingMessage[]): Promise<number> => {
      const t0 = Date.now();
      await sendFlood(sqs, queueUrl, messages);
      expected += messages.length;
      await worker!.storedAtLeast(expected, 3_600_000);
      return (Date.now() - t0) / 1000;
    };
    await flood(batch('warm', 10)); // cold sessions and arenas stay out of the rate
    const calibrationS = await flood(batch('calibrate', options.calibrate));
    const messagesPerSec = options.calibrate / calibrationS;
    const backlog = Math.min(options.maxMessages, Math.ceil(options.multiple * messagesPerSec * options.visibilityS));
    log(`worker: ${messagesPerSec.toFixed(2)} messages/s; backlog ${backlog} messages (${options.multiple} × ${options.visibilityS} s visibility timeout)`);

    const probe = startServerProbe({ url: worker.metricsUrl, pid: worker.pid, probeEveryMs: 1000, rssEveryMs: 250, probeTimeoutMs: 5000 });
    const queuePoints: QueuePoint[] = [];
    const queueTimer = setInterval(() => void queueDepth(sqs, queueUrl).then((q) => queuePoints.push(q), () => undefined), 1000);
    const startedAt = Date.now();
    const totalS = await flood(batch('backlog', backlog));
    clearInterval(queueTimer);
    const probes = await probe.stop();
    const finalMetrics = await fetch(`${worker.metricsUrl}/metrics`).then((r) => r.text());
    const dlq = await queueDepth(sqs, dlqUrl);
    const tally = worker.tally;
    const exitCode = await worker.stop();
    worker = undefined;
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).length;

    const config = loadConfig(process.env);
    const report = {
      command: `npm run bench:sqs-backlog -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      cpu: `${cpus()[0]?.model ?? '?'} × ${availableParallelism()}`,
      node: process.version,
      options,
      calibration: { messages: options.calibrate, seconds: calibrationS, messagesPerSec },
      backlog: { messages: backlog, texts: backlog * options.textsPerMessage, totalS, messagesPerSec: backlog / totalS },
      memory: { ...memorySummary(probes.rss, startedAt), hwmMiB: probes.hwmBytes / MIB },
      waiting: waitingSummary(probes.points, probes.rss, queuePoints, config.encoder.workers),
      redelivery: {
        // Receive count > 1 for a message that never failed: it came back while this worker held it.
        redeliveredWhileHeld: [...tally.storeReceiveCounts].filter(([messageId, counts]) => !tally.failedMessageIds.has(messageId) && counts.some((c) => c > 1)).length,
        storedTwice: [...tally.storedById.values()].filter((n) => n > 1).length,
        receivedTotal: metricSum(finalMetrics, 'embedline_sqs_messages_received_total'),
        messagesSent: expected,
        staleReceipts: metricSum(finalMetrics, 'embedline_sqs_stale_receipts_total'),
        failedMessages: tally.failedMessageIds.size,
        heartbeatProblems: tally.heartbeatProblems,
        errorLines: tally.errors,
      },
      dlqMessages: dlq.visible + dlq.inFlight,
      resultFiles: files,
      workerExitCode: exitCode,
    };
    const markdown = renderMarkdown(report);
    process.stdout.write(`${markdown}\n`);
    const out = options.out ?? join(config.cacheDir, 'bench', 'sqs-backlog-latest.json');
    await mkdir(join(out, '..'), { recursive: true });
    await writeFile(out, JSON.stringify(report, null, 2));
    await writeFile(out.replace(/\.json$/, '.md'), `${markdown}\n`);
    log(`wrote ${out} and its .md`);
  } finally {
    await worker?.stop();
    sqs.destroy();
    await mq.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueuePoint> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { at: Date.now(), visible: Number(Attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/** Peak RSS, and whether it still grew: the peak of the run's second half against its first. */
function memorySummary(rss: readonly RssPoint[], startedAt: number): { rssAtStartMiB: number; peakRssMiB: number; firstHalfPeakMiB: number; secondHalfPeakMiB: number } {
  const run = rss.filter((p) => p.at >= startedAt);
  const middle = startedAt + ((run.at(-1)?.at ?? startedAt) - startedAt) / 2;
  const peak = (points: readonly RssPoint[]): number => Math.max(0, ...points.map((p) => p.rssBytes)) / MIB;
  return { rssAtStartMiB: (run[0]?.rssBytes ?? Number.NaN) / MIB, peakRssMiB: peak(run), firstHalfPeakMiB: peak(run.filter((p) => p.at < middle)), secondHalfPeakMiB: peak(run.filter((p) => p.at >= middle)) };
}

/**
 * While messages waited (any left in the queue, visible or held by the worker): the share of the inference workers'
 * time spent in ONNX Runtime (embedline_batch_inference_seconds_sum over wall time × workers)
 * and the worker process's CPU time over wall time × cores.
 */
function waitingSummary(points: readonly MetricsPoint[], rss: readonly RssPoint[], queue: readonly QueuePoint[], workers: number): { seconds: number; inferenceBusyShare: number; processCpuShare: number; workers: number; cores: number } {
  const waiting = queue.filter((q) => q.visible + q.inFlight > 0);
  if (waiting.length < 2) return { seconds: 0, inferenceBusyShare: Number.NaN, processCpuShare: Number.NaN, workers, cores: availableParallelism() };
  const from = waiting[0]!.at;
  const to = waiting.at(-1)!.at;
  const between = <T extends { at: number }>(xs: readonly T[]): T[] => xs.filter((x) => x.at >= from && x.at <= to);
  const m = between(points);
  const c = between(rss).filter((p) => Number.isFinite(p.cpuSeconds));
  const share = (d: number, first: { at: number } | undefined, last: { at: number } | undefined, units: number): number => (first && last && last.at > first.at ? d / (((last.at - first.at) / 1000) * units) : Number.NaN);
  return {
    seconds: (to - from) / 1000,
    inferenceBusyShare: share((m.at(-1)?.inferenceSeconds ?? 0) - (m[0]?.inferenceSeconds ?? 0), m[0], m.at(-1), workers),
    processCpuShare: share((c.at(-1)?.cpuSeconds ?? 0) - (c[0]?.cpuSeconds ?? 0), c[0], c.at(-1), availableParallelism()),
    workers,
    cores: availableParallelism(),
  };
}

function renderMarkdown(r: {
  options: Options;
  backlog: { messages: number; texts: number; totalS: number; messagesPerSec: number };
  calibration: { messagesPerSec: number };
  memory: { rssAtStartMiB: number; peakRssMiB: number; firstHalfPeakMiB: number; secondHalfPeakMiB: number; hwmMiB: number };
  waiting: { seconds: number; inferenceBusyShare: number; processCpuShare: number; workers: number; cores: number };
  redelivery: { redeliveredWhileHeld: number; storedTwice: number; receivedTotal: number; messagesSent: number; staleReceipts: number; failedMessages: number };
  dlqMessages: number;
  resultFiles: number;
}): string {
  const f = (v: number, d = 0): string => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : '–');
  return [
    '| backlog (messages × texts) | visibility s | calibrated msg/s | total s | msg/s | RSS MiB: start / peak (1st half / 2nd half) | received / sent | redelivered while held | stored twice | stale receipts | failed | DLQ | result files | inference busy while waiting | process CPU while waiting |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.backlog.messages} × ${r.options.textsPerMessage} | ${r.options.visibilityS} | ${f(r.calibration.messagesPerSec, 2)} | ${f(r.backlog.totalS)} | ${f(r.backlog.messagesPerSec, 2)} | ${f(r.memory.rssAtStartMiB)} / ${f(r.memory.peakRssMiB)} (${f(r.memory.firstHalfPeakMiB)} / ${f(r.memory.secondHalfPeakMiB)}) | ${r.redelivery.receivedTotal} / ${r.redelivery.messagesSent} | ${r.redelivery.redeliveredWhileHeld} | ${r.redelivery.storedTwice} | ${r.redelivery.staleReceipts} | ${r.redelivery.failedMessages} | ${r.dlqMessages} | ${r.resultFiles} | ${pct(r.waiting.inferenceBusyShare)} of ${r.waiting.workers} workers over ${f(r.waiting.seconds)} s | ${pct(r.waiting.processCpuShare)} of ${r.waiting.cores} cores |`,
  ].join('\n');
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      'visibility-s': { type: 'string', default: '20' },
      multiple: { type: 'string', default: '10' },
      'texts-per-message': { type: 'string', default: '4' },
      calibrate: { type: 'string', default: '60' },
      'max-messages': { type: 'string', default: '100000' },
      out: { type: 'string' },
    },
  });
  const options: Options = {
    visibilityS: Number(values['visibility-s']),
    multiple: Number(values.multiple),
    textsPerMessage: Number(values['texts-per-message']),
    calibrate: Number(values.calibrate),
    maxMessages: Number(values['max-messages']),
    out: values.out,
  };
  if (![options.visibilityS, options.multiple, options.textsPerMessage, options.calibrate, options.maxMessages].every((n) => Number.isFinite(n) && n > 0)) throw new Error('every option takes a positive number');
  return options;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
