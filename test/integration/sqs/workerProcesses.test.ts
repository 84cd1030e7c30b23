import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { sqsRecord } from '../../fixtures/sqsRecord.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';
import { localSqs, queueDepth, queueUrl, sendAll, waitFor } from './helpers/localQueue.js';
import { readResult, resultIds } from './helpers/results.js';
import { spawnWorker, type WorkerProcess } from './helpers/workerProcess.js';

// Short, printable sentences: SQS refuses most control characters, and on two cores every
// word piece counts (the model embeds about 200 short texts per second here).
const SENTENCES = VARIED_SENTENCES.filter((t) => t.length > 0 && t.length < 80 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(t));

function messages(prefix: string, count: number, maxTexts: number): SQSRecord[] {
  return Array.from({ length: count }, (_, i) => sqsRecord.any({ id: `${prefix}-${i}`, texts: Array.from({ length: 1 + (i % maxTexts) }, (_, j) => `${SENTENCES[(i + j) % SENTENCES.length]} [${i}.${j}]`) }));
}

const textsOf = (r: SQSRecord): string[] => (JSON.parse(r.body) as { texts: string[] }).texts;

describe('SQS workers on a local ElasticMQ', function () {
  this.timeout(180_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let runtime: EmbedlineRuntime;
  let root: string;
  const running: WorkerProcess[] = [];

  before(async () => {
    [mq, runtime, root] = await Promise.all([sharedElasticMq({ queues: ['load', 'kill', 'term'], maxReceiveCount: 5, visibilityTimeoutSec: 5 }), startTestRuntime(), mkdtemp(join(tmpdir(), 'embedline-sqs-workers-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    for (const w of running) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    sqs?.destroy();
    await Promise.all([mq?.stop(), runtime?.close(), root && rm(root, { recursive: true, force: true })]);
  });

  const start = (url: string, dir: string): WorkerProcess => {
    const worker = spawnWorker(url, mq.endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '5', EMBEDLINE_LOG_LEVEL: 'debug' });
    running.push(worker);
    return worker;
  };

  /** Every message has exactly one result, equal to embedding its texts directly. */
  async function expectResultsMatch(dir: string, records: readonly SQSRecord[]): Promise<void> {
    const ids = await resultIds(dir);
    expect(ids).to.have.length(records.length);
    expect(new Set(ids)).to.deep.equal(new Set(records.map((r) => (JSON.parse(r.body) as { id: string }).id)));
    const texts = records.flatMap(textsOf);
    const { vectors } = await runtime.pipeline.embed(texts, { timeoutMs: 300_000, priority: 'background' });
    const direct = new Map(texts.map((text, i) => [text, vectors[i]!.values]));
    let worst = 0;
    for (const record of records) {
      const stored = await readResult(dir, (JSON.parse(record.body) as { id: string }).id);
      expect(stored.vectors).to.have.length(textsOf(record).length);
      stored.vectors.forEach((v, j) => (worst = Math.max(worst, maxAbsDiff(v, direct.get(textsOf(record)[j]!)!))));
    }
    expect(worst).to.be.at.most(1e-5);
  }

  async function expectEmpty(url: string): Promise<void> {
    expect(await queueDepth(sqs, url)).to.deep.equal({ visible: 0, inFlight: 0 });
    expect(await queueDepth(sqs, `${url}-dlq`)).to.deep.equal({ visible: 0, inFlight: 0 });
  }

  it('embeds 2,000 messages with two worker processes: one result per message, equal to direct embedding, queue empty', async () => {
    const url = await queueUrl(sqs, 'load');
    const dir = join(root, 'load');
    const records = messages('load', 2000, 1);
    await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));

    const workers = [start(url, dir), start(url, dir)];
    await Promise.all(workers.map((w) => w.ready()));
    await waitFor(async () => (await Promise.all(workers.map((w) => w.metric('embedline_sqs_messages_succeeded_total')))).reduce((a, b) => a + b) >= 2000, 150_000, '2,000 messages to succeed');
    workers.forEach((w) => w.child.kill('SIGTERM'));

    expect(await Promise.all(workers.map((w) => w.exited))).to.deep.equal([0, 0]);
    const succeeded = workers.map((w) => w.logs.filter((l) => l.event === 'sqs.message_succeeded').length);
    expect(succeeded[0]! + succeeded[1]!, 'each message embedded once').to.equal(2000);
    expect(Math.min(...succeeded), 'both workers took a share').to.be.greaterThan(0);
    await expectEmpty(url);
    await expectResultsMatch(dir, records);
  });

  it('survives SIGKILL of one worker: its messages reappear after the visibility timeout and finish on the other', async () => {
    const url = await queueUrl(sqs, 'kill');
    const dir = join(root, 'kill');
    const records = messages('kill', 600, 2);
    const [victim, survivor] = [start(url, dir), start(url, dir)];
    await Promise.all([victim.ready(), survivor.ready()]);
    await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));

    await waitFor(async () => (await resultIds(dir)).length >= 50 && (await victim.metric('embedline_sqs_messages_in_flight')) > 0, 60_000, 'the victim to hold messages mid-run');
    victim.child.kill('SIGKILL');
    await waitFor(async () => (await resultIds(dir)).length === 600 && (await queueDepth(sqs, url)).inFlight === 0, 90_000, 'all 600 results');
    survivor.child.kill('SIGTERM');

    expect(await victim.exited).to.equal('SIGKILL');
    expect(await survivor.exited).to.equal(0);
    const redelivered = survivor.logs.filter((l) => l.event === 'sqs.message_succeeded' && Number(l.receiveCount) > 1);
    expect(redelivered.length, 'messages the victim held were finished by the survivor').to.be.greaterThan(0);
    await expectEmpty(url);
    await expectResultsMatch(dir, records);
  });

  it('drains on SIGTERM: finishes what it holds, loses nothing, exits 0', async () => {
    const url = await queueUrl(sqs, 'term');
    const dir = join(root, 'term');
    const records = messages('term', 600, 2);
    const first = start(url, dir);
    await first.ready();
    await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));

    await waitFor(async () => (await resultIds(dir)).length >= 50 && (await first.metric('embedline_sqs_messages_in_flight')) > 0, 60_000, 'the worker to hold messages mid-run');
    first.child.kill('SIGTERM');

    expect(await first.exited).to.equal(0);
    const stopped = first.logs.find((l) => l.event === 'worker.stopped');
    expect(stopped?.inFlightAtStop, 'it held messages when told to stop').to.be.greaterThan(0);
    expect(stopped?.abandoned).to.equal(0);
    const depth = await queueDepth(sqs, url);
    expect((await resultIds(dir)).length + depth.visible + depth.inFlight, 'every message is either done or still queued').to.equal(600);

    const second = start(url, dir);
    await second.ready();
    await waitFor(async () => (await resultIds(dir)).length === 600 && (await queueDepth(sqs, url)).inFlight === 0, 60_000, 'the rest to finish');
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
    await expectEmpty(url);
    await expectResultsMatch(dir, records);
  });
});
