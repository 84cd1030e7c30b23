import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueUrl, waitFor } from '../../sqs/helpers/localQueue.js';
import { readResult, resultIds } from '../../sqs/helpers/results.js';
import { tallySqsRun, type FaultTally } from '../support/faultTally.js';
import { deadLetteredIds, faultSettings, sendMessages, startFaultWorker, stillQueued, stopWorker, textsInMessage, waitUntilDrained } from '../support/queueRun.js';

/**
 * Two workers share a backlog; one gets `signal` mid-run. SIGKILL: what it held reappears after
 * the visibility timeout and the other finishes it; a message it had stored but not yet deleted
 * is stored again (counted from its log up to its death, which stderr, a pipe, writes synchronously).
 * SIGTERM: it drains what it holds and exits 0. (test/integration/sqs/workerProcesses.test.ts
 * checks the vectors of these runs; this counts them for the matrix.)
 */
export async function runWorkerSignal(root: string, sqs: SQSClient, endpoint: string, queue: string, messages: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ tally: FaultTally; victimExit: number | NodeJS.Signals; heldAtSignal: number }> {
  const url = await queueUrl(sqs, queue);
  const dir = join(root, queue);
  const env = { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir };
  const [victim, survivor] = [startFaultWorker(url, endpoint, env), startFaultWorker(url, endpoint, env)];
  try {
    await Promise.all([victim.ready(), survivor.ready()]);
    const ids = await sendMessages(sqs, url, queue, messages);
    await waitFor(async () => (await resultIds(dir)).length >= Math.ceil(messages / 5) && (await victim.metric('embedline_sqs_messages_in_flight')) > 0, 300_000, 'the victim to hold messages mid-run');
    const heldAtSignal = await victim.metric('embedline_sqs_messages_in_flight');
    victim.child.kill(signal);
    const victimExit = await victim.exited;
    const expected = new Set(ids);
    await waitUntilDrained(sqs, url, async () => (await resultIds(dir)).filter((id) => expected.has(id)).length === messages, 300_000, `all ${messages} results after ${signal}`);
    await stopWorker(survivor);
    const completedIds: string[] = [];
    for (const [i, id] of ids.entries()) if ((await readResult(dir, id)).vectors.length === textsInMessage(i)) completedIds.push(id);
    const tally = tallySqsRun({
      fault: `${signal} of one of two SQS workers mid-batch`,
      sentIds: ids,
      completedIds,
      logs: [...victim.logs, ...survivor.logs],
      deadLetteredIds: await deadLetteredIds(sqs, url),
      stillQueued: await stillQueued(sqs, url),
      note: signal === 'SIGKILL' ? `killed holding ${heldAtSignal}; they reappeared after the ${faultSettings.visibilityTimeoutSec} s visibility timeout and the survivor finished them` : `told to stop holding ${heldAtSignal}; it finished them and exited ${String(victimExit)}`,
    });
    return { tally, victimExit, heldAtSignal };
  } finally {
    for (const w of [victim, survivor]) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  }
}
