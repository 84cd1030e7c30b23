import { join } from 'node:path';
import { localSqs, queueUrl, waitFor } from '../../sqs/helpers/localQueue.js';
import { readResult, resultIds } from '../../sqs/helpers/results.js';
import { tallySqsRun, type FaultTally } from '../support/faultTally.js';
import { deadLetteredIds, FAULT_MAX_RECEIVE_COUNT, sendMessages, startFaultWorker, stillQueued, stopWorker, textsInMessage, waitUntilDrained } from '../support/queueRun.js';
import { startRestartableElasticMq } from '../support/restartableElasticMq.js';
import type { WorkerLogLine } from '../../sqs/helpers/workerProcess.js';

export interface ElasticMqRestartRun {
  readonly tally: FaultTally;
  /** Messages the worker held (in flight) when ElasticMQ went down. */
  readonly heldAtStop: number;
  /** Receive calls that failed while it was down: the worker noticed and kept going. */
  readonly receiveErrors: number;
  /** The worker was still running after the restart and drained cleanly: 0. */
  readonly workerExit: number | NodeJS.Signals;
  /** Every worker log line, and the index of the first one after the stop, for reading a run. */
  readonly logs: readonly WorkerLogLine[];
  readonly stopLine: number;
  readonly restartLine: number;
  /**
   * Duplicates whose delete ElasticMQ had acknowledged before it stopped: its H2 persistence
   * writes asynchronously, so deletes from the last moment before a restart come back (real SQS
   * does not forget a delete; this is the local server's, not the worker's).
   */
  readonly duplicatesOfAcknowledgedDeletes: number;
  /** The other duplicates: messages held at the stop whose receipt handles the restart invalidated. */
  readonly duplicatesOfHeld: number;
}

const QUEUE = 'fault-mq-restart';

/**
 * ElasticMQ (messages persisted on disk, as SQS keeps them) is stopped while the worker holds
 * messages, stays down for `downMs`, and is started again on the same port. The worker must
 * keep running and reconnect; what it held reappears and is finished. A message whose result
 * was stored but whose delete could not reach the queue comes back and is stored again: that is
 * the at-least-once duplicate the tally counts (its key is its id, so the file is rewritten, not doubled).
 */
export async function runElasticMqRestart(root: string, messages: number, downMs: number): Promise<ElasticMqRestartRun> {
  const mq = await startRestartableElasticMq([QUEUE], FAULT_MAX_RECEIVE_COUNT, 5);
  const sqs = localSqs(mq);
  const dir = join(root, QUEUE);
  const url = await queueUrl(sqs, QUEUE);
  const live = startFaultWorker(url, mq.endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir });
  try {
    await live.ready();
    const ids = await sendMessages(sqs, url, QUEUE, messages);
    await waitFor(async () => (await resultIds(dir)).length >= Math.ceil(messages / 5) && (await live.metric('embedline_sqs_messages_in_flight')) > 0, 300_000, 'the worker to hold messages mid-run');
    const heldAtStop = await live.metric('embedline_sqs_messages_in_flight');
    await mq.stop();
    const stopLine = live.logs.length;
    await new Promise((r) => setTimeout(r, downMs));
    await mq.start();
    const restartLine = live.logs.length;
    const expected = new Set(ids);
    await waitUntilDrained(sqs, url, async () => (await resultIds(dir)).filter((id) => expected.has(id)).length === messages, 300_000, `all ${messages} results after the restart`);
    const receiveErrors = live.logs.filter((l) => l.event === 'sqs.receive_error').length;
    const { acknowledged, held } = classifyDuplicates(live.logs, stopLine);
    const workerExit = await stopWorker(live);
    const completedIds: string[] = [];
    for (const [i, id] of ids.entries()) if ((await readResult(dir, id)).vectors.length === textsInMessage(i)) completedIds.push(id);
    const tally = tallySqsRun({
      fault: 'ElasticMQ restarted mid-run',
      sentIds: ids,
      completedIds,
      logs: live.logs,
      deadLetteredIds: await deadLetteredIds(sqs, url),
      stillQueued: await stillQueued(sqs, url),
      note: `SIGTERM to ElasticMQ (H2-persisted messages) with ${heldAtStop} messages in flight, down ${downMs / 1000} s, started on the same port; duplicates: ${held} of messages held at the stop or handed out again after a late heartbeat (their deletes were refused as stale and they came back), ${acknowledged} deleted and acknowledged just before the stop that ElasticMQ's asynchronous H2 persistence brought back (a local-server artefact: SQS keeps its deletes)`,
    });
    return { tally, heldAtStop, receiveErrors, workerExit, logs: live.logs, stopLine, restartLine, duplicatesOfAcknowledgedDeletes: acknowledged, duplicatesOfHeld: held };
  } finally {
    if (live.child.exitCode === null) live.child.kill('SIGKILL');
    sqs.destroy();
    await mq.destroy();
  }
}

/** Splits the extra stores by whether the message's delete had been acknowledged before the stop. */
function classifyDuplicates(logs: readonly WorkerLogLine[], stopLine: number): { acknowledged: number; held: number } {
  const idOf = new Map<string, string>();
  const stores = new Map<string, number>();
  for (const l of logs) {
    if (l.event !== 'sqs.result_stored') continue;
    idOf.set(String(l.messageId), String(l.id));
    stores.set(String(l.id), (stores.get(String(l.id)) ?? 0) + 1);
  }
  const deletedBeforeStop = new Set(logs.slice(0, stopLine).filter((l) => l.event === 'sqs.message_succeeded').map((l) => idOf.get(String(l.messageId))));
  let acknowledged = 0;
  let held = 0;
  for (const [id, n] of stores) {
    if (n < 2) continue;
    if (deletedBeforeStop.has(id)) acknowledged += n - 1;
    else held += n - 1;
  }
  return { acknowledged, held };
}
