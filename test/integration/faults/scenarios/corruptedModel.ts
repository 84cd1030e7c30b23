import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { runCli } from '../../../support/cli.js';
import { cacheWithCorruptedModel } from '../../../support/corruptedModel.js';
import { queueDepth, queueUrl } from '../../sqs/helpers/localQueue.js';
import { readResult, resultIds } from '../../sqs/helpers/results.js';
import { LOCAL_AWS_ENV } from '../../sqs/helpers/localQueue.js';
import { tallySqsRun, type FaultTally } from '../support/faultTally.js';
import { deadLetteredIds, FAULT_WORKER_ENV, sendMessages, startFaultWorker, stillQueued, stopWorker, textsInMessage, waitUntilDrained } from '../support/queueRun.js';

const MODEL = 'all-MiniLM-L6-v2';
const GRAPH = 'onnx/model.onnx';

/** The fault's model: the fp32 graph with one byte flipped (test/support/corruptedModel.ts). */
export function cacheWithCorruptedGraph(): Promise<string> {
  return cacheWithCorruptedModel(MODEL, GRAPH);
}

export interface CorruptedModelRun {
  readonly tally: FaultTally;
  readonly worker: { readonly code: number | null; readonly typedError: boolean };
  readonly serve: { readonly code: number | null; readonly typedError: boolean };
  /** Queue depth after the refused worker exited: every message still visible, none received. */
  readonly queuedAfterRefusal: { visible: number; inFlight: number };
}

/**
 * `embedline worker` and `embedline serve` started on a model whose graph no longer matches its
 * manifest: both must exit non-zero with EMBEDLINE_MODEL_INTEGRITY before taking any work, and
 * the messages waiting must stay in the queue for a healthy worker, which then finishes them.
 */
export async function runCorruptedModel(root: string, sqs: SQSClient, endpoint: string, queue: string, messages: number): Promise<CorruptedModelRun> {
  const url = await queueUrl(sqs, queue);
  const cacheDir = await cacheWithCorruptedGraph();
  try {
    const ids = await sendMessages(sqs, url, queue, messages);
    const dir = join(root, queue);
    const env = { ...LOCAL_AWS_ENV, ...FAULT_WORKER_ENV, EMBEDLINE_CACHE_DIR: cacheDir, EMBEDLINE_MODEL_AUTO_PULL: 'false', EMBEDLINE_SQS_ENDPOINT: endpoint, EMBEDLINE_SQS_REGION: 'us-east-1', EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir };
    const [refusedWorker, refusedServe] = await Promise.all([
      runCli(['worker', '--queue-url', url, '--metrics-port', '0'], env),
      runCli(['serve', '--port', '0'], { EMBEDLINE_CACHE_DIR: cacheDir, EMBEDLINE_MODEL_AUTO_PULL: 'false' }),
    ]);
    const queuedAfterRefusal = await queueDepth(sqs, url);

    const healthy = startFaultWorker(url, endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir });
    try {
      await healthy.ready();
      const expected = new Set(ids);
      await waitUntilDrained(sqs, url, async () => (await resultIds(dir)).filter((id) => expected.has(id)).length === messages, 300_000, `a healthy worker to finish all ${messages}`);
      await stopWorker(healthy);
    } finally {
      if (healthy.child.exitCode === null) healthy.child.kill('SIGKILL');
    }
    const completedIds: string[] = [];
    for (const [i, id] of ids.entries()) if ((await readResult(dir, id)).vectors.length === textsInMessage(i)) completedIds.push(id);
    const tally = tallySqsRun({
      fault: 'model file corrupted on disk',
      sentIds: ids,
      completedIds,
      logs: healthy.logs,
      deadLetteredIds: await deadLetteredIds(sqs, url),
      stillQueued: await stillQueued(sqs, url),
      note: `one byte flipped in ${GRAPH} (a copy); worker exit ${refusedWorker.code} and serve exit ${refusedServe.code} with EMBEDLINE_MODEL_INTEGRITY before receiving anything; a healthy worker then finished every message`,
    });
    const typed = (stderr: string): boolean => stderr.includes('EMBEDLINE_MODEL_INTEGRITY');
    return { tally, worker: { code: refusedWorker.code, typedError: typed(refusedWorker.stderr) }, serve: { code: refusedServe.code, typedError: typed(refusedServe.stderr) }, queuedAfterRefusal };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}
