import { DeleteMessageBatchCommand, SendMessageBatchCommand, type Message, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { cosine } from '../../../core/vectorMath.js';
import { localSqs, queueDepth, queueUrl, receiveUpTo } from '../../integration/sqs/helpers/localQueue.js';
import { readFailures, readResult, resultIds, type FailureLine } from '../../integration/sqs/helpers/results.js';
import { spawnWorker, type WorkerProcess } from '../../integration/sqs/helpers/workerProcess.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { sqsCase, type SqsCase } from '../arbitraries/sqs.js';
import { Tally, type FuzzReport, type Judged } from '../runCases.js';
import { SQS_FUZZ_LIMITS } from './lambdaFuzz.js';

/** On the ElasticMQ the test run shares; no other file may use this name. */
const QUEUE = 'fuzz-worker';
/** Receives before ElasticMQ moves a message to the DLQ: each poison message is failed this often first. */
const MAX_RECEIVE_COUNT = 2;
/** SendMessageBatch refuses batches over 256 KiB; stay well under it. */
const BATCH_BYTES = 200 * 1024;

interface Sent {
  readonly index: number;
  readonly c: SqsCase;
  /** SQS's message id, or undefined when SQS refused the entry. */
  readonly messageId: string | undefined;
}

/** failures.jsonl lines carry the error code and retryability too; the shared helper's type leaves them out. */
type FailureWithCode = FailureLine & { readonly code: string; readonly retryable: boolean };

interface Settled {
  readonly dir: string;
  readonly results: ReadonlySet<string>;
  readonly dlq: ReadonlyMap<string, Message>;
  readonly failures: ReadonlyMap<string, FailureWithCode[]>;
}

/**
 * The real worker (`embedline worker`, a child process with the file sink) on a real ElasticMQ
 * queue with a DLQ. Fuzzed messages are sent in rounds, valid, broken and junk interleaved, so
 * poison messages share receives with good ones; a round ends when the queue is empty. Then, per
 * message: a valid one has its result (one unit vector per text, every `checkEvery`-th compared
 * with `reference`'s) and no permanent failure (one refused for a while under load and embedded on
 * redelivery counts as `embedded-after-retry`); a broken one is in the DLQ, unchanged, with one failure line
 * per receive giving the expected reason and a typed code; junk ends either way, never lost.
 */
export async function fuzzSqsWorker(options: { count: number; seed: number; round: number; checkEvery: number; reference: EmbedlineRuntime }): Promise<FuzzReport & { workerExit: number | string }> {
  const tally = new Tally('sqs-worker');
  const dir = await mkdtemp(join(tmpdir(), 'embedline-fuzz-worker-'));
  const mq: ElasticMq = await sharedElasticMq({ queues: [QUEUE], maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutSec: 10 });
  const sqs = localSqs(mq);
  let worker: WorkerProcess | undefined;
  let workerExit: number | string = 'not started';
  try {
    const url = await queueUrl(sqs, QUEUE);
    worker = spawnWorker(url, mq.endpoint, {
      EMBEDLINE_SINK: 'file',
      EMBEDLINE_RESULTS_DIR: dir,
      EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '10',
      EMBEDLINE_SQS_MAX_TEXTS_PER_MESSAGE: String(SQS_FUZZ_LIMITS.maxTextsPerMessage),
      EMBEDLINE_SQS_MAX_TEXT_CHARS: String(SQS_FUZZ_LIMITS.maxTextChars),
      EMBEDLINE_SQS_MAX_MESSAGE_BYTES: String(SQS_FUZZ_LIMITS.maxMessageBytes),
    });
    await worker.ready();
    let validSeen = 0;
    for (let offset = 0; offset < options.count; offset += options.round) {
      const builders = fc.sample(sqsCase(SQS_FUZZ_LIMITS), { seed: options.seed + offset, numRuns: Math.min(options.round, options.count - offset) });
      const sent = await send(sqs, url, builders.map((build, i) => ({ index: offset + i, c: build(`w-${options.seed}-${offset + i}`) })));
      const settledProblem = await untilEmpty(sqs, url, worker, 60_000 + 200 * sent.length);
      const settled = await collect(sqs, `${url}-dlq`, dir, sent.length);
      for (const s of sent) {
        const verdict = settledProblem ? { outcome: 'unsettled', problem: settledProblem } : await judge(s, settled, options.reference, s.c.expect.kind === 'result' && validSeen++ % options.checkEvery === 0);
        tally.add(verdict, s.index, s.c);
      }
      if (settledProblem) break;
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      workerExit = await worker.exited;
    } else if (worker) {
      workerExit = `exited early (${String(worker.child.exitCode ?? worker.child.signalCode)}): ${worker.stderr().slice(-500)}`;
    }
    sqs.destroy();
    await mq.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { ...tally.report(), workerExit };
}

/** Sends every case, ten (and at most BATCH_BYTES) per call, recording SQS's message id per case. */
async function send(sqs: SQSClient, url: string, cases: { index: number; c: SqsCase }[]): Promise<Sent[]> {
  const sent: Sent[] = [];
  let batch: typeof cases = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const entries: SendMessageBatchRequestEntry[] = batch.map(({ c }, i) => ({ Id: String(i), MessageBody: c.body, ...attributesOf(c) }));
    const { Successful = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    const ids = new Map(Successful.map((s) => [s.Id, s.MessageId]));
    batch.forEach((b, i) => sent.push({ ...b, messageId: ids.get(String(i)) }));
    batch = [];
    bytes = 0;
  };
  for (const item of cases) {
    const size = Buffer.byteLength(item.c.body) + Object.entries(item.c.attributes).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
    if (batch.length === 10 || bytes + size > BATCH_BYTES) await flush();
    batch.push(item);
    bytes += size;
  }
  await flush();
  return sent;
}

function attributesOf(c: SqsCase): Pick<SendMessageBatchRequestEntry, 'MessageAttributes'> {
  const entries = Object.entries(c.attributes);
  return entries.length === 0 ? {} : { MessageAttributes: Object.fromEntries(entries.map(([name, value]) => [name, { DataType: 'String', StringValue: value }])) };
}

/** Waits until nothing is waiting or held (twice in a row, so a message between failure and redrive is not missed); a problem when it never gets there. */
async function untilEmpty(sqs: SQSClient, url: string, worker: WorkerProcess, timeoutMs: number): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  let emptyPolls = 0;
  while (emptyPolls < 2) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return `the worker exited: ${worker.stderr().slice(-500)}`;
    if (Date.now() > until) return `the queue did not empty within ${timeoutMs} ms: ${JSON.stringify(await queueDepth(sqs, url))}`;
    const depth = await queueDepth(sqs, url);
    emptyPolls = depth.visible === 0 && depth.inFlight === 0 ? emptyPolls + 1 : 0;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

/** What the round left behind: result files, DLQ messages (deleted once read) and failure lines. */
async function collect(sqs: SQSClient, dlqUrl: string, dir: string, sent: number): Promise<Settled> {
  const parked = await receiveUpTo(sqs, dlqUrl, sent, 60);
  for (let i = 0; i < parked.length; i += 10) {
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: parked.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  const failures = new Map<string, FailureWithCode[]>();
  for (const line of (await readFailures(dir)) as FailureWithCode[]) failures.set(line.messageId, [...(failures.get(line.messageId) ?? []), line]);
  return { dir, results: new Set(await resultIds(dir)), dlq: new Map(parked.map((m) => [m.MessageId!, m])), failures };
}

async function judge(s: Sent, settled: Settled, reference: EmbedlineRuntime, compare: boolean): Promise<Judged> {
  if (s.messageId === undefined) return { outcome: 'refused-by-sqs' };
  const parked = settled.dlq.get(s.messageId);
  const failures = settled.failures.get(s.messageId) ?? [];
  const outcome = parked ? 'dlq' : 'embedded';
  const { expect } = s.c;
  if (failures.some((f) => !/^EMBEDLINE_[A-Z_]+$/.test(f.code) || f.message.length === 0)) return { outcome, problem: `a failure line without a typed code or message: ${JSON.stringify(failures)}` };
  switch (expect.kind) {
    case 'result': {
      // A retryable refusal (the pipeline's admission under load) is at-least-once delivery working; a permanent one, or the DLQ, is a lost message.
      const permanent = failures.filter((f) => !f.retryable);
      if (parked || permanent.length > 0) return { outcome, problem: `a valid message failed: ${JSON.stringify(failures.map((f) => [f.reason, f.message]))}` };
      const problem = await resultProblem((JSON.parse(s.c.body) as { id: string }).id, expect.texts, settled, reference, compare);
      return { outcome: failures.length > 0 ? 'embedded-after-retry' : outcome, problem };
    }
    case 'failure': {
      if (!parked) return { outcome, problem: `a message that must fail with ${expect.reason} was not moved to the DLQ` };
      if (parked.Body !== s.c.body) return { outcome, problem: 'the DLQ holds a changed body' };
      const reasons = failures.map((f) => f.reason);
      const expected = Array<string>(MAX_RECEIVE_COUNT).fill(expect.reason);
      return reasons.join() === expected.join() ? { outcome } : { outcome, problem: `expected reasons ${JSON.stringify(expected)}, got ${JSON.stringify(reasons)}` };
    }
    case 'either':
      return parked && failures.length === 0 ? { outcome, problem: 'in the DLQ without a recorded reason' } : { outcome };
  }
}

/** The result file holds one unit vector per text and, when compared, the same vectors the pipeline gives in this process. */
async function resultProblem(id: string, texts: readonly string[], settled: Settled, reference: EmbedlineRuntime, compare: boolean): Promise<string | undefined> {
  if (!settled.results.has(id)) return `deleted from the queue without a result file for ${id}`;
  const stored = await readResult(settled.dir, id);
  if (stored.vectors.length !== texts.length) return `${texts.length} texts but ${stored.vectors.length} vectors`;
  if (stored.vectors.some((v) => v.length !== 384 || Math.abs(Math.hypot(...v) - 1) > 1e-3)) return 'a result vector is not a unit vector of 384 dimensions';
  if (!compare) return undefined;
  const direct = await reference.pipeline.embed(texts);
  const worst = Math.min(...direct.vectors.map((v, i) => cosine(v.values, stored.vectors[i]!)));
  return worst >= 0.9999 ? undefined : `the worker's vectors differ from the pipeline's (cosine ${worst})`;
}
