import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsRecord } from '../../../fixtures/sqsRecord.js';
import { VARIED_SENTENCES } from '../../../fixtures/sentences.js';
import { queueDepth, sendAll, waitFor } from '../../sqs/helpers/localQueue.js';
import { spawnWorker, type WorkerProcess } from '../../sqs/helpers/workerProcess.js';

/** Short printable sentences (SQS refuses most control characters). */
const SENTENCES = VARIED_SENTENCES.filter((t) => t.length > 0 && t.length < 80 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(t));

/**
 * Fast retries so an outage and its recovery fit in a test: a failed message is visible again
 * after 1-2 s, and 10 receives before the DLQ leave room for the outage. Debug logs carry the
 * `sqs.result_stored` lines the tally counts.
 */
export const FAULT_WORKER_ENV = {
  EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '5',
  EMBEDLINE_SQS_FAILURE_BACKOFF_BASE_SEC: '1',
  EMBEDLINE_SQS_FAILURE_BACKOFF_MAX_SEC: '2',
  EMBEDLINE_LOG_LEVEL: 'debug',
} as const;

/**
 * The visibility timeout fault workers use (their heartbeat runs every third of it). 5 s makes
 * a killed worker's messages come back quickly; on a machine so loaded that a heartbeat lands
 * later than that, a held message reappears and is stored twice (a duplicate, never a loss).
 * The benchmark can set it (`--visibility`).
 */
export const faultSettings = { visibilityTimeoutSec: 5 };

/** Receives before a message is dead-lettered in fault runs. */
export const FAULT_MAX_RECEIVE_COUNT = 10;

/** Sends `count` messages of 1..3 texts each; returns their producer ids. */
export async function sendMessages(sqs: SQSClient, url: string, prefix: string, count: number): Promise<string[]> {
  const records = Array.from({ length: count }, (_, i) =>
    sqsRecord.any({ id: `${prefix}-${i}`, texts: Array.from({ length: 1 + (i % 3) }, (_, j) => `${SENTENCES[(i * 3 + j) % SENTENCES.length]} [${prefix} ${i}.${j}]`) }),
  );
  await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));
  return records.map((r) => (JSON.parse(r.body) as { id: string }).id);
}

/** Texts of message `i` as {@link sendMessages} made them: the count a stored result must have. */
export function textsInMessage(i: number): number {
  return 1 + (i % 3);
}

/** Drains the DLQ (the run is over) and returns the producer ids found there. */
export async function deadLetteredIds(sqs: SQSClient, url: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${url}-dlq`, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
    if (Messages.length === 0) return ids;
    for (const m of Messages) ids.push(idOf(m.Body ?? ''));
  }
}

function idOf(body: string): string {
  try {
    return String((JSON.parse(body) as { id?: unknown }).id);
  } catch {
    return '(unparsable)';
  }
}

/** Messages visible or in flight in the requests queue. */
export async function stillQueued(sqs: SQSClient, url: string): Promise<number> {
  const depth = await queueDepth(sqs, url);
  return depth.visible + depth.inFlight;
}

/** Waits until `done()` says every message has a result and nothing is held in the queue. */
export async function waitUntilDrained(sqs: SQSClient, url: string, done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await waitFor(async () => (await done()) && (await stillQueued(sqs, url)) === 0, timeoutMs, what);
}

/** A fault-run worker: the fault env on top of the given sink env. */
export function startFaultWorker(url: string, endpoint: string, env: Record<string, string>): WorkerProcess {
  return spawnWorker(url, endpoint, { ...FAULT_WORKER_ENV, EMBEDLINE_SQS_VISIBILITY_TIMEOUT: String(faultSettings.visibilityTimeoutSec), ...env });
}

/** SIGTERM and wait; the exit code says whether the worker survived the fault to drain cleanly. */
export async function stopWorker(worker: WorkerProcess): Promise<number | NodeJS.Signals> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
  return worker.exited;
}
