import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { sqsRecord } from '../../fixtures/sqsRecord.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { maxAbsDiff } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';
import { localSqs, queueUrl, receiveUpTo, sendAll, waitFor } from './helpers/localQueue.js';
import { spawnWorker } from './helpers/workerProcess.js';

interface ResultMessage {
  v: number;
  id: string;
  encoding: string;
  embeddings: string[];
  metadata?: unknown;
}

const decode = (b64: string): Float32Array => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
};

describe('SQS worker writing to queues (sqs sink, result notifications)', function () {
  this.timeout(120_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let runtime: EmbedlineRuntime;
  let dir: string;

  before(async () => {
    [mq, runtime, dir] = await Promise.all([sharedElasticMq({ queues: ['requests', 'results', 'replies', 'notified'] }), startTestRuntime(), mkdtemp(join(tmpdir(), 'embedline-sqs-queues-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    sqs?.destroy();
    await Promise.all([mq?.stop(), runtime?.close(), dir && rm(dir, { recursive: true, force: true })]);
  });

  it('sends each result to the results queue, or to the message\'s reply-to queue, as base64 float32', async () => {
    const [requests, results, replies] = await Promise.all(['requests', 'results', 'replies'].map((name) => queueUrl(sqs, name)));
    const plain = sqsRecord.any({ id: 'to-results', texts: ['first text', 'second text'] });
    const replyTo = { ...plain, body: JSON.stringify({ v: 1, id: 'to-replies', text: 'please reply', sink: { replyTo: replies }, metadata: { ticket: 42 } }) };
    const worker = spawnWorker(requests!, mq.endpoint, { EMBEDLINE_SINK: 'sqs', EMBEDLINE_RESULTS_QUEUE_URL: results! });
    await worker.ready();

    await sendAll(sqs, requests!, [plain, replyTo].map((r, i) => sqsRecord.sendEntry(r, i)));
    const [fromResults] = await receiveAfter(results!);
    const [fromReplies] = await receiveAfter(replies!);
    worker.child.kill('SIGTERM');

    expect(await worker.exited).to.equal(0);
    expect([fromResults!.id, fromResults!.encoding, fromResults!.embeddings.length]).to.deep.equal(['to-results', 'base64-f32le', 2]);
    expect([fromReplies!.id, fromReplies!.metadata]).to.deep.equal(['to-replies', { ticket: 42 }]);
    const direct = await runtime.pipeline.embed(['first text', 'second text']);
    fromResults!.embeddings.forEach((b64, i) => expect(maxAbsDiff(decode(b64), direct.vectors[i]!.values)).to.be.at.most(1e-5));
  });

  it('announces each stored file on the results queue when one is configured', async () => {
    const [requests, notified] = await Promise.all(['requests', 'notified'].map((name) => queueUrl(sqs, name)));
    const worker = spawnWorker(requests!, mq.endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, EMBEDLINE_RESULTS_QUEUE_URL: notified! });
    await worker.ready();

    await sendAll(sqs, requests!, [sqsRecord.sendEntry(sqsRecord.any({ id: 'announced', texts: ['a', 'b', 'c'] }), 0)]);
    const [notice] = (await receiveAfter(notified!)) as unknown as { id: string; location: string; texts: number }[];
    worker.child.kill('SIGTERM');

    expect(await worker.exited).to.equal(0);
    expect(notice).to.deep.include({ id: 'announced', location: join(dir, 'announced.jsonl'), texts: 3 });
  });

  async function receiveAfter(url: string): Promise<ResultMessage[]> {
    let received: ResultMessage[] = [];
    await waitFor(async () => (received = (await receiveUpTo(sqs, url, 10)).map((m) => JSON.parse(m.Body!) as ResultMessage)).length > 0, 30_000, `a message on ${url}`);
    return received;
  }
});
