import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { MALFORMED, sqsRecord, type MalformedKind } from '../../fixtures/sqsRecord.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';
import { localSqs, queueDepth, queueUrl, receiveUpTo, sendAll, waitFor } from './helpers/localQueue.js';
import { readFailures, readResult, resultIds } from './helpers/results.js';
import { spawnWorker, type WorkerProcess } from './helpers/workerProcess.js';

/** Limits the worker runs with, and the size that breaks each. */
const LIMITS = { EMBEDLINE_SQS_MAX_TEXTS_PER_MESSAGE: '8', EMBEDLINE_SQS_MAX_TEXT_CHARS: '2000', EMBEDLINE_SQS_MAX_MESSAGE_BYTES: '65536' };
const SIZES: Partial<Record<MalformedKind, number>> = { too_many_texts: 9, text_too_long: 2001, oversize_body: 70_000 };

describe('SQS worker with malformed messages', function () {
  this.timeout(120_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let runtime: EmbedlineRuntime;
  let dir: string;
  let worker: WorkerProcess | undefined;

  before(async () => {
    [mq, runtime, dir] = await Promise.all([sharedElasticMq({ queues: ['malformed'], maxReceiveCount: 2, visibilityTimeoutSec: 5 }), startTestRuntime(), mkdtemp(join(tmpdir(), 'embedline-sqs-malformed-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    sqs?.destroy();
    await Promise.all([mq?.stop(), runtime?.close(), dir && rm(dir, { recursive: true, force: true })]);
  });

  it('fails each bad message alone with its reason, moves it to the DLQ after maxReceiveCount, and embeds its good neighbours', async () => {
    const url = await queueUrl(sqs, 'malformed');
    const kinds = Object.keys(MALFORMED) as MalformedKind[];
    const bad = kinds.map((kind) => ({ kind, record: sqsRecord.malformed(kind, SIZES[kind] ?? 0) }));
    const badAttribute = sqsRecord.any({ id: 'bad-attribute', priorityAttribute: 'urgent' });
    const good = Array.from({ length: 12 }, (_, i) => sqsRecord.any({ id: `good-${i}`, texts: [`Good message ${i}.`, `Its second text, number ${i}.`], ...(i % 3 === 0 ? { priorityAttribute: 'critical' } : {}) }));
    // Interleaved, and all sent before the worker starts, so bad and good arrive in the same receives.
    const mixed: SQSRecord[] = good.flatMap((g, i) => [g, ...(i < bad.length ? [bad[i]!.record] : []), ...(i === bad.length ? [badAttribute] : [])]);
    await sendAll(sqs, url, mixed.map((r, i) => sqsRecord.sendEntry(r, i)));

    worker = spawnWorker(url, mq.endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '5', ...LIMITS });
    await worker.ready();
    await waitFor(async () => (await queueDepth(sqs, `${url}-dlq`)).visible === bad.length + 1 && (await resultIds(dir)).length === good.length, 60_000, 'bad messages in the DLQ and good results');
    await waitFor(async () => (await queueDepth(sqs, url)).inFlight === 0, 10_000, 'the last deletes');

    const parked = await receiveUpTo(sqs, `${url}-dlq`, 20);
    expect(parked.map((m) => m.Body).sort()).to.deep.equal([...bad.map((b) => b.record.body), badAttribute.body].sort());
    expect(await queueDepth(sqs, url)).to.deep.equal({ visible: 0, inFlight: 0 });
    const failures = await readFailures(dir);
    for (const { kind, record } of bad) {
      const lines = failures.filter((f) => f.messageId === parked.find((m) => m.Body === record.body)!.MessageId);
      expect(lines.map((l) => l.reason), kind).to.deep.equal(Array(2).fill(MALFORMED[kind].reason));
      expect(await worker.metric('embedline_sqs_messages_failed_total', `reason="${MALFORMED[kind].reason}"`), kind).to.be.greaterThan(0);
    }
    expect(failures.filter((f) => f.id === 'bad-attribute').map((f) => f.reason)).to.deep.equal(['invalid_message', 'invalid_message']);
    expect(failures.some((f) => f.id?.startsWith('good-'))).to.equal(false);
    for (const record of good) {
      const { texts, id } = JSON.parse(record.body) as { texts: string[]; id: string };
      const stored = await readResult(dir, id);
      const direct = await runtime.pipeline.embed(texts);
      stored.vectors.forEach((v, j) => expect(maxAbsDiff(v, direct.vectors[j]!.values)).to.be.at.most(1e-5));
    }
    worker.child.kill('SIGTERM');
    expect(await worker.exited).to.equal(0);
  });
});
