/**
 * The fault matrix (issue 11 item 3) with a realistic amount of traffic: every fault the
 * deterministic tests in test/integration/faults/ check, with more messages, more clients and
 * more crashes, and one table of what happened to every accepted message or request.
 * The counts do not depend on the machine's speed; the run takes ~10-15 min on 2 busy cores.
 *
 *   npm run bench:faults                     # all faults
 *   npm run bench:faults -- --only s3,mq     # some: file-ro, file-full, s3, mq, crash-sqs, crash-http, shutdown-http, model, sigkill, sigterm
 *   npm run bench:faults -- --scale 0.2      # fewer messages (smoke)
 *   npm run bench:faults -- --visibility 60  # the workers' visibility timeout (default 5 s, as the tests)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedElasticMq } from '../../test/support/sharedElasticMq.js';
import { startS3Server } from '../../test/support/s3Server.js';
import { localSqs } from '../../test/integration/sqs/helpers/localQueue.js';
import { runCorruptedModel } from '../../test/integration/faults/scenarios/corruptedModel.js';
import { runElasticMqRestart } from '../../test/integration/faults/scenarios/elasticMqRestart.js';
import { runFileSinkOutage } from '../../test/integration/faults/scenarios/fileSinkOutage.js';
import { runHttpShutdown, runHttpThreadCrash } from '../../test/integration/faults/scenarios/httpDuringFaults.js';
import { runInferenceThreadCrashOnQueue } from '../../test/integration/faults/scenarios/inferenceThreadCrash.js';
import { runS3SinkOutage } from '../../test/integration/faults/scenarios/s3SinkOutage.js';
import { runWorkerSignal } from '../../test/integration/faults/scenarios/workerKill.js';
import { faultTable, type FaultTally } from '../../test/integration/faults/support/faultTally.js';
import { FAULT_MAX_RECEIVE_COUNT, faultSettings } from '../../test/integration/faults/support/queueRun.js';
import { mountTinyFilesystem } from '../../test/integration/faults/support/tinyFilesystem.js';

const FAULTS = ['file-ro', 'file-full', 's3', 'mq', 'crash-sqs', 'crash-http', 'shutdown-http', 'model', 'sigkill', 'sigterm'] as const;
type Fault = (typeof FAULTS)[number];

function args(): { only: Set<Fault>; scale: number; visibility: number } {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only')?.split(',') ?? [...FAULTS];
  const unknown = only.filter((f) => !(FAULTS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new Error(`unknown fault(s) ${unknown.join(', ')}; choose from ${FAULTS.join(', ')}`);
  const scale = Number(value('--scale') ?? '1');
  if (!(scale > 0 && scale <= 10)) throw new Error('--scale must be in (0, 10]');
  const visibility = Number(value('--visibility') ?? '5');
  if (!Number.isInteger(visibility) || visibility < 2 || visibility > 600) throw new Error('--visibility must be whole seconds in 2..600');
  return { only: new Set(only as Fault[]), scale, visibility };
}

async function main(): Promise<void> {
  const { only, scale, visibility } = args();
  faultSettings.visibilityTimeoutSec = visibility;
  const n = (count: number): number => Math.max(4, Math.round(count * scale));
  const root = await mkdtemp(join(tmpdir(), 'embedline-fault-matrix-'));
  const queues = ['matrix-file-ro', 'matrix-file-full', 'matrix-s3', 'matrix-crash', 'matrix-model', 'matrix-sigkill', 'matrix-sigterm'];
  const mq = await sharedElasticMq({ queues, maxReceiveCount: FAULT_MAX_RECEIVE_COUNT, visibilityTimeoutSec: visibility });
  const sqs = localSqs(mq);
  const rows: FaultTally[] = [];
  const skipped: string[] = [];
  const record = (tally: FaultTally): void => {
    rows.push(tally);
    process.stderr.write(`${tally.fault}: accepted ${tally.accepted}, completed ${tally.completed}, lost ${tally.lost}, duplicated ${tally.duplicated}\n`);
  };
  try {
    if (only.has('file-ro') || only.has('file-full')) {
      const fs = await mountTinyFilesystem(64);
      if ('unavailable' in fs) skipped.push(`file sink read-only/full: ${fs.unavailable}`);
      else {
        try {
          if (only.has('file-ro')) record((await runFileSinkOutage('read-only', fs, sqs, mq.endpoint, 'matrix-file-ro', n(300))).tally);
          if (only.has('file-full')) record((await runFileSinkOutage('full', fs, sqs, mq.endpoint, 'matrix-file-full', n(300))).tally);
        } finally {
          await fs.unmount();
        }
      }
    }
    if (only.has('s3')) {
      const s3 = await startS3Server();
      try {
        record((await runS3SinkOutage(s3, sqs, mq.endpoint, 'matrix-s3', n(300))).tally);
      } finally {
        await s3.stop();
      }
    }
    if (only.has('mq')) record((await runElasticMqRestart(root, n(600), 10_000)).tally);
    if (only.has('crash-sqs')) record((await runInferenceThreadCrashOnQueue(root, sqs, mq.endpoint, 'matrix-crash', n(600), 3)).tally);
    if (only.has('crash-http')) record((await runHttpThreadCrash(root, 32, 3)).tally);
    if (only.has('shutdown-http')) record((await runHttpShutdown(32)).tally);
    if (only.has('model')) record((await runCorruptedModel(root, sqs, mq.endpoint, 'matrix-model', n(100))).tally);
    if (only.has('sigkill')) record((await runWorkerSignal(root, sqs, mq.endpoint, 'matrix-sigkill', n(600), 'SIGKILL')).tally);
    if (only.has('sigterm')) record((await runWorkerSignal(root, sqs, mq.endpoint, 'matrix-sigterm', n(600), 'SIGTERM')).tally);
  } finally {
    sqs.destroy();
    await mq.stop();
    await rm(root, { recursive: true, force: true });
  }
  console.log(`visibility timeout ${visibility} s, scale ${scale}`);
  console.log(faultTable(rows));
  console.log('');
  for (const r of rows) console.log(`- ${r.fault}: ${r.note}.`);
  for (const s of skipped) console.log(`- skipped ${s}`);
  const lost = rows.reduce((sum, r) => sum + r.lost, 0);
  if (lost > 0) {
    console.error(`LOST ${lost}: a fault lost accepted work`);
    process.exitCode = 1;
  }
}

await main();
