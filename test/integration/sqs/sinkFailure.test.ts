import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsRecord } from '../../fixtures/sqsRecord.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs, queueDepth, queueUrl, sendAll, waitFor } from './helpers/localQueue.js';
import { readResult, resultIds } from './helpers/results.js';
import { spawnWorker, type WorkerProcess } from './helpers/workerProcess.js';

/** Fast retries, so an outage and its recovery fit in a test; 10 receives before the DLQ leaves room for both. */
const RETRY_ENV = { EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '5', EMBEDLINE_SQS_FAILURE_BACKOFF_BASE_SEC: '1', EMBEDLINE_SQS_FAILURE_BACKOFF_MAX_SEC: '2', EMBEDLINE_LOG_LEVEL: 'debug' };

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SQS worker when the sink fails', function () {
  this.timeout(120_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let root: string;
  const running: WorkerProcess[] = [];

  before(async () => {
    [mq, root] = await Promise.all([sharedElasticMq({ queues: ['sink-file', 'sink-s3'], maxReceiveCount: 10, visibilityTimeoutSec: 5 }), mkdtemp(join(tmpdir(), 'embedline-sqs-sink-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    for (const w of running) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    sqs?.destroy();
    await Promise.all([mq?.stop(), root && rm(root, { recursive: true, force: true })]);
  });

  it('keeps messages while the result directory cannot be written, and stores each exactly once after it recovers', async () => {
    const url = await queueUrl(sqs, 'sink-file');
    // Tests run as root, so permissions cannot make a directory unwritable; a regular file as its parent can.
    const blocker = join(root, 'blocker');
    await writeFile(blocker, 'not a directory');
    const dir = join(blocker, 'results');
    const records = Array.from({ length: 20 }, (_, i) => sqsRecord.any({ id: `outage-${i}`, texts: [`Written after the outage, ${i}.`] }));
    const worker = spawnWorker(url, mq.endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, ...RETRY_ENV });
    running.push(worker);
    await worker.ready();
    await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));

    await waitFor(async () => (await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"')) >= 20, 60_000, 'every message to fail once');
    const during = await queueDepth(sqs, url);
    expect(during.visible + during.inFlight, 'nothing deleted during the outage').to.equal(20);
    expect(worker.logs.some((l) => l.event === 'sqs.message_failed' && String(l.message).includes('ENOTDIR'))).to.equal(true);

    await rm(blocker);
    await waitFor(async () => (await resultIds(dir)).length === 20 && (await queueDepth(sqs, url)).inFlight === 0, 60_000, 'all results after recovery');
    worker.child.kill('SIGTERM');

    expect(await worker.exited).to.equal(0);
    expect(worker.logs.filter((l) => l.event === 'sqs.message_succeeded')).to.have.length(20);
    expect(await queueDepth(sqs, url)).to.deep.equal({ visible: 0, inFlight: 0 });
    expect(await queueDepth(sqs, `${url}-dlq`)).to.deep.equal({ visible: 0, inFlight: 0 });
    for (const r of records) expect((await readResult(dir, (JSON.parse(r.body) as { id: string }).id)).vectors).to.have.length(1);
  });

  it('deletes nothing and retries later while the S3 sink is unreachable', async () => {
    const url = await queueUrl(sqs, 'sink-s3');
    const s3Env = { EMBEDLINE_SINK: 's3', EMBEDLINE_S3_BUCKET: 'results', EMBEDLINE_S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, EMBEDLINE_S3_REGION: 'us-east-1', EMBEDLINE_S3_FORCE_PATH_STYLE: 'true' };
    const worker = spawnWorker(url, mq.endpoint, { ...s3Env, ...RETRY_ENV });
    running.push(worker);
    await worker.ready();
    await sendAll(sqs, url, Array.from({ length: 5 }, (_, i) => sqsRecord.sendEntry(sqsRecord.any({ id: `s3-down-${i}` }), i)));

    // Ten failures for five messages: each was delivered again after failing, at least once.
    await waitFor(async () => (await worker.metric('embedline_sqs_messages_failed_total', 'reason="sink_failed"')) >= 10, 60_000, 'failed deliveries to be retried');
    worker.child.kill('SIGTERM');

    expect(await worker.exited).to.equal(0);
    const depth = await queueDepth(sqs, url);
    expect(depth.visible + depth.inFlight).to.equal(5);
    expect((await queueDepth(sqs, `${url}-dlq`)).visible).to.equal(0);
    expect(worker.logs.filter((l) => l.event === 'sqs.message_succeeded')).to.have.length(0);
  });
});
