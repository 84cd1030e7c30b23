import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueUrl, waitFor } from '../../sqs/helpers/localQueue.js';
import { readResult, resultIds } from '../../sqs/helpers/results.js';
import { crashTrigger } from '../support/crashTrigger.js';
import { tallySqsRun, type FaultTally } from '../support/faultTally.js';
import { deadLetteredIds, sendMessages, startFaultWorker, stillQueued, stopWorker, textsInMessage, waitUntilDrained } from '../support/queueRun.js';

export interface ThreadCrashQueueRun {
  readonly tally: FaultTally;
  /** Inference batches that failed: the crashed one, and nothing else. */
  readonly failedBatches: number;
  readonly workerExit: number | NodeJS.Signals;
}

/**
 * An SQS worker process whose inference thread exits while it holds a batch (the crash hook of
 * core/encoder/crashInjection.ts), in the middle of a backlog. The pool starts a new thread; the
 * crashed batch's texts run again (split in halves by the dispatcher), and the process, its
 * other batches and its messages carry on.
 */
export async function runInferenceThreadCrashOnQueue(root: string, sqs: SQSClient, endpoint: string, queue: string, messages: number, crashes: number): Promise<ThreadCrashQueueRun> {
  const url = await queueUrl(sqs, queue);
  const dir = join(root, queue);
  const trigger = crashTrigger(root, `${queue}-crash`);
  const worker = startFaultWorker(url, endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, ...trigger.env });
  try {
    await worker.ready();
    const ids = await sendMessages(sqs, url, queue, messages);
    for (let c = 1; c <= crashes; c++) {
      await waitFor(async () => (await resultIds(dir)).length >= Math.ceil((messages * c) / (crashes + 2)), 300_000, `crash ${c}: results before it`);
      await trigger.crashOnce();
    }
    const expected = new Set(ids);
    await waitUntilDrained(sqs, url, async () => (await resultIds(dir)).filter((id) => expected.has(id)).length === messages, 300_000, `all ${messages} results after ${crashes} crashes`);
    const failedBatches = await worker.metric('embedline_batch_errors_total');
    const workerExit = await stopWorker(worker);
    const completedIds: string[] = [];
    for (const [i, id] of ids.entries()) if ((await readResult(dir, id)).vectors.length === textsInMessage(i)) completedIds.push(id);
    const tally = tallySqsRun({
      fault: 'inference thread crash (SQS worker)',
      sentIds: ids,
      completedIds,
      logs: worker.logs,
      deadLetteredIds: await deadLetteredIds(sqs, url),
      stillQueued: await stillQueued(sqs, url),
      note: `${crashes} thread exit(s) holding a batch; ${failedBatches} batch(es) failed, the pool restarted the thread and only the crashed batch's texts ran again`,
    });
    return { tally, failedBatches, workerExit };
  } finally {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  }
}
