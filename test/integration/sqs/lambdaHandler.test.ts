import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { handler } from '../../../functions/sqs-embed/handler.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { MALFORMED, sqsRecord, type MalformedKind } from '../../fixtures/sqsRecord.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';
import { localSqs, queueUrl, receiveUpTo, sendAll } from './helpers/localQueue.js';
import { readFailures, readResult, resultIds } from './helpers/results.js';

/** The handler reads its configuration from the environment on its first (cold) invocation. */
const HANDLER_ENV = { EMBEDLINE_SINK: 'file', EMBEDLINE_SQS_MAX_TEXTS_PER_MESSAGE: '8', EMBEDLINE_LOG_LEVEL: 'error' };

/** A Lambda context whose remaining time is `remaining[i]` on the i-th call, then the last value. */
function fakeContext(...remaining: number[]): Context {
  let calls = 0;
  return { getRemainingTimeInMillis: () => remaining[Math.min(calls++, remaining.length - 1)]! } as Context;
}

describe('Lambda handler (functions/sqs-embed) with records received from a local ElasticMQ', function () {
  this.timeout(120_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let runtime: EmbedlineRuntime;
  let dir: string;
  let url: string;
  let arn: string;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    [mq, runtime, dir] = await Promise.all([sharedElasticMq({ queues: ['lambda'] }), startTestRuntime(), mkdtemp(join(tmpdir(), 'embedline-sqs-lambda-'))]);
    sqs = localSqs(mq);
    url = await queueUrl(sqs, 'lambda');
    arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    for (const [name, value] of Object.entries({ ...HANDLER_ENV, EMBEDLINE_RESULTS_DIR: dir })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });

  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    sqs?.destroy();
    await Promise.all([mq?.stop(), runtime?.close(), dir && rm(dir, { recursive: true, force: true })]);
  });

  async function eventOf(records: ReturnType<typeof sqsRecord.any>[]): Promise<SQSEvent> {
    await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));
    const received = await receiveUpTo(sqs, url, records.length);
    expect(received).to.have.length(records.length);
    return { Records: received.map((m) => sqsRecord.fromMessage(m, arn)) };
  }

  const idOf = (body: string): string => (JSON.parse(body) as { id: string }).id;

  it('reports exactly the malformed records in batchItemFailures and stores results for the rest', async () => {
    const kinds: MalformedKind[] = ['not_json', 'empty_texts', 'wrong_types', 'unknown_version', 'too_many_texts'];
    const good = Array.from({ length: 10 }, (_, i) => sqsRecord.any({ id: `lambda-good-${i}`, texts: [`Lambda text ${i}.`, `And another one, ${i}.`] }));
    const bad = kinds.map((kind) => ({ kind, record: sqsRecord.malformed(kind, 9) }));
    const event = await eventOf([...good.slice(0, 5), ...bad.map((b) => b.record), ...good.slice(5)]);
    // The queue does not keep send order, so expectations follow the event's order.
    const badRecords = event.Records.filter((r) => !good.some((g) => g.body === r.body));
    const badIds = badRecords.map((r) => r.messageId);

    const response = await handler(event, fakeContext(60_000));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(badIds);
    expect((await resultIds(dir)).sort()).to.deep.equal(good.map((g) => idOf(g.body)).sort());
    for (const g of good) {
      const texts = (JSON.parse(g.body) as { texts: string[] }).texts;
      const direct = await runtime.pipeline.embed(texts);
      (await readResult(dir, idOf(g.body))).vectors.forEach((v, j) => expect(maxAbsDiff(v, direct.vectors[j]!.values)).to.be.at.most(1e-5));
    }
    const failures = await readFailures(dir);
    const expected = badRecords.map((r) => MALFORMED[bad.find((b) => b.record.body === r.body)!.kind].reason);
    expect(badIds.map((id) => failures.find((f) => f.messageId === id)?.reason)).to.deep.equal(expected);
  });

  it('reports the records it had no time to start, and only those, when the invocation nears its timeout', async () => {
    const records = Array.from({ length: 6 }, (_, i) => sqsRecord.any({ id: `lambda-deadline-${i}`, texts: [`Deadline text ${i}.`] }));
    const event = await eventOf(records);

    // 60 s left for the first two records, then 3 s: under the 5 s margin.
    const response = await handler(event, fakeContext(60_000, 60_000, 3_000));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(event.Records.slice(2).map((r) => r.messageId));
    const stored = (await resultIds(dir)).filter((id) => id.startsWith('lambda-deadline-'));
    expect(stored.sort()).to.deep.equal(event.Records.slice(0, 2).map((r) => idOf(r.body)).sort());
    const reasons = (await readFailures(dir)).filter((f) => f.id?.startsWith('lambda-deadline-')).map((f) => f.reason);
    expect(reasons).to.deep.equal(['deadline', 'deadline', 'deadline', 'deadline']);
  });
});
