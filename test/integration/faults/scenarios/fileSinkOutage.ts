import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueUrl, waitFor } from '../../sqs/helpers/localQueue.js';
import { readResult, resultIds } from '../../sqs/helpers/results.js';
import { tallySqsRun, type FaultTally } from '../support/faultTally.js';
import { deadLetteredIds, sendMessages, startFaultWorker, stillQueued, stopWorker, textsInMessage, waitUntilDrained } from '../support/queueRun.js';
import type { TinyFilesystem } from '../support/tinyFilesystem.js';

export interface FileSinkOutageRun {
  readonly tally: FaultTally;
  /** Messages in the queue (visible or in flight) while the sink was failing: all of them. */
  readonly queuedDuringOutage: number;
  /** Failed deliveries during the outage and the error the worker logged for one of them. */
  readonly failuresDuringOutage: number;
  readonly errorSeen: string;
  readonly workerExit: number | NodeJS.Signals;
}

/**
 * The file sink's directory becomes read-only, or its filesystem full, before the messages
 * arrive; once every message has failed at least once the fault is lifted. Nothing may be
 * deleted while results cannot be written, and afterwards every message has exactly its result.
 */
export async function runFileSinkOutage(fault: 'read-only' | 'full', fs: TinyFilesystem, sqs: SQSClient, endpoint: string, queue: string, messages: number): Promise<FileSinkOutageRun> {
  const url = await queueUrl(sqs, queue);
  const dir = join(fs.dir, queue);
  await mkdir(dir, { recursive: true });
  const worker = startFaultWorker(url, endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir });
  try {
    await worker.ready();
    if (fault === 'read-only') await fs.readOnly();
    else await fs.fill();
    const ids = await sendMessages(sqs, url, `${queue}-${fault}`, messages);

    await waitFor(async () => (await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"')) >= messages, 300_000, `${messages} sink failures`);
    const queuedDuringOutage = await stillQueued(sqs, url);
    const failuresDuringOutage = await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"');
    const failedLine = worker.logs.find((l) => l.event === 'sqs.message_failed' && l.reason === 'sink_failed');
    if (fault === 'read-only') await fs.writable();
    else await fs.unfill();

    const expected = new Set(ids);
    await waitUntilDrained(sqs, url, async () => (await resultIds(dir)).filter((id) => expected.has(id)).length === messages, 300_000, `all ${messages} results after the ${fault} fault`);
    const workerExit = await stopWorker(worker);
    // A result counts only if it is whole: one vector per text of its message.
    const completedIds: string[] = [];
    for (const [i, id] of ids.entries()) if ((await readResult(dir, id)).vectors.length === textsInMessage(i)) completedIds.push(id);
    const how = fault === 'read-only' ? 'tmpfs remounted read-only (EROFS), then read-write' : 'tmpfs filled to the last byte (ENOSPC), then the filler deleted';
    const tally = tallySqsRun({
      fault: `file sink ${fault}`,
      sentIds: ids,
      completedIds,
      logs: worker.logs,
      deadLetteredIds: await deadLetteredIds(sqs, url),
      stillQueued: await stillQueued(sqs, url),
      note: `${how}; every message failed with sink_failed at least once, stayed in the queue and was stored after recovery`,
    });
    return { tally, queuedDuringOutage, failuresDuringOutage, errorSeen: String(failedLine?.message ?? ''), workerExit };
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await fs.writable().catch(() => undefined);
    await fs.unfill().catch(() => undefined);
  }
}
