import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalS3 } from '../../../support/s3Server.js';
import { queueUrl, waitFor } from '../../sqs/helpers/localQueue.js';
import type { WorkerLogLine } from '../../sqs/helpers/workerProcess.js';
import { tallySqsRun, unconfirmedDeletes, type FaultTally } from '../support/faultTally.js';
import { deadLetteredIds, sendMessages, startFaultWorker, stillQueued, stopWorker, textsInMessage, waitUntilDrained } from '../support/queueRun.js';

export interface S3SinkOutageRun {
  readonly tally: FaultTally;
  /** Results stored before moto was stopped (listed from the bucket just before). */
  readonly storedBeforeStop: number;
  /** Failed deliveries (sink_failed) while moto was down. */
  readonly failuresDuringOutage: number;
  /** Messages still in the queue while moto was down: all that were not stored yet. */
  readonly queuedDuringOutage: number;
  readonly notYetStoredAtStop: number;
  readonly workerExit: number | NodeJS.Signals;
  /** Deletes refused as stale or failed: the bound on duplicates. */
  readonly unconfirmedDeletes: number;
  /** The worker's log lines, for reading a run. */
  readonly logs: readonly WorkerLogLine[];
}

const BUCKET = 'fault-results';
const PREFIX = 'faults/';

/** Producer ids with an object in the bucket (one listing call per 1,000: quick, taken right before the stop). */
async function listedIds(s3: S3Client, ids: readonly string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.add(o.Key!);
    token = page.NextContinuationToken;
  } while (token);
  return new Set(ids.filter((id) => keys.has(`${PREFIX}${id}.jsonl`)));
}

/** Producer ids whose object holds one JSONL line per text of its message. */
async function wholeResults(s3: S3Client, ids: readonly string[]): Promise<Set<string>> {
  const listed = await listedIds(s3, ids);
  const whole = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (!listed.has(id)) continue;
    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${id}.jsonl` }))).Body!.transformToString();
    if (body.trim().split('\n').length === textsInMessage(i)) whole.add(id);
  }
  return whole;
}

/**
 * The S3 sink against a real S3-compatible server (moto in server mode). Mid-run moto is
 * stopped (SIGTERM), kept down until every message the worker then held has failed to store,
 * and started again on the same port. moto keeps objects in memory, so a restart empties it:
 * the bucket is recreated (as it would still exist on S3) and the objects stored before the stop
 * are counted from a listing taken just before it. A message whose result could not be written
 * must stay in the queue and be stored once S3 is back.
 */
export async function runS3SinkOutage(s3: LocalS3, sqs: SQSClient, endpoint: string, queue: string, messages: number): Promise<S3SinkOutageRun> {
  const url = await queueUrl(sqs, queue);
  await s3.createBucket(BUCKET);
  const worker = startFaultWorker(url, endpoint, {
    EMBEDLINE_SINK: 's3',
    EMBEDLINE_S3_BUCKET: BUCKET,
    EMBEDLINE_S3_PREFIX: PREFIX,
    EMBEDLINE_S3_ENDPOINT: s3.endpoint,
    EMBEDLINE_S3_REGION: 'us-east-1',
    EMBEDLINE_S3_FORCE_PATH_STYLE: 'true',
  });
  try {
    await worker.ready();
    const ids = await sendMessages(sqs, url, queue, messages);
    const stored = (): number => new Set(worker.logs.filter((l) => l.event === 'sqs.result_stored').map((l) => l.id)).size;
    await waitFor(() => stored() >= Math.ceil(messages / 8), 300_000, 'an eighth of the results in S3');
    // Listed just before the stop; a result stored between the listing and the stop is in the
    // worker's log (PutObject answered 200) and counted from there.
    const before = await listedIds(s3.client(), ids);
    const failedBefore = await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"');
    await s3.stop();
    const stopLine = worker.logs.length;
    const storedAtStop = new Set(worker.logs.filter((l) => l.event === 'sqs.result_stored').map((l) => String(l.id)));
    const notYetStoredAtStop = messages - storedAtStop.size;
    // Down until as many failed writes as messages not yet stored: the worker kept trying, and kept them.
    await waitFor(async () => (await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"')) - failedBefore >= Math.min(notYetStoredAtStop, 10), 300_000, 'writes to fail while S3 is down');
    const failuresDuringOutage = (await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"')) - failedBefore;
    const queuedDuringOutage = await stillQueued(sqs, url);
    await s3.restart();
    await s3.createBucket(BUCKET);

    await waitUntilDrained(sqs, url, async () => new Set(worker.logs.slice(stopLine).filter((l) => l.event === 'sqs.result_stored').map((l) => String(l.id))).size + storedAtStop.size >= messages, 300_000, `all ${messages} results after S3 came back`);
    const workerExit = await stopWorker(worker);
    const after = await wholeResults(s3.client(), ids);
    const completedIds = ids.filter((id) => after.has(id) || before.has(id) || storedAtStop.has(id));
    const tally = tallySqsRun({
      fault: 'S3 sink (moto) stopped and restarted',
      sentIds: ids,
      completedIds,
      logs: worker.logs,
      deadLetteredIds: await deadLetteredIds(sqs, url),
      stillQueued: await stillQueued(sqs, url),
      note: `moto SIGTERMed after ${before.size} results, down until ${failuresDuringOutage} writes failed, restarted empty on the same port (bucket recreated); results stored before the stop counted from the listing and the worker log; a duplicate is a stored message whose delete was refused as stale or failed, so it came back (${unconfirmedDeletes(worker.logs)} such deletes)`,
    });
    return { tally, storedBeforeStop: before.size, failuresDuringOutage, queuedDuringOutage, notYetStoredAtStop, workerExit, unconfirmedDeletes: unconfirmedDeletes(worker.logs), logs: worker.logs };
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  }
}
