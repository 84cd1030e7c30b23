import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsRecord } from '../../fixtures/sqsRecord.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { startOtlpReceiver, type OtlpReceiver } from '../observability/support/otlpReceiver.js';
import { spanAttribute, spansIn } from '../observability/support/otlpSpans.js';
import { localSqs, queueUrl, sendAll, waitFor } from './helpers/localQueue.js';
import { resultIds } from './helpers/results.js';
import { spawnWorker } from './helpers/workerProcess.js';

describe('embedline worker with tracing on', function () {
  this.timeout(120_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let receiver: OtlpReceiver;
  let dir: string;

  before(async () => {
    [mq, receiver, dir] = await Promise.all([sharedElasticMq({ queues: ['traced'] }), startOtlpReceiver(), mkdtemp(join(tmpdir(), 'embedline-traced-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    sqs?.destroy();
    await Promise.all([mq?.stop(), receiver?.close(), dir && rm(dir, { recursive: true, force: true })]);
  });

  it('sends a request span per message, with the message id, continuing a producer\'s traceparent attribute', async () => {
    const url = await queueUrl(sqs, 'traced');
    const [traceId, producerSpanId] = ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'];
    const records = [sqsRecord.any({ id: 'traced-1', traceparent: `00-${traceId}-${producerSpanId}-01` }), sqsRecord.any({ id: 'traced-2' }), sqsRecord.any({ id: 'traced-3' })];
    const worker = spawnWorker(url, mq.endpoint, {
      EMBEDLINE_SINK: 'file',
      EMBEDLINE_RESULTS_DIR: dir,
      EMBEDLINE_TRACING_EXPORTER: 'otlp',
      EMBEDLINE_TRACING_ENDPOINT: receiver.tracesUrl,
    });
    await worker.ready();

    await sendAll(sqs, url, records.map((r, i) => sqsRecord.sendEntry(r, i)));
    await waitFor(async () => (await resultIds(dir)).length === records.length, 60_000, 'three results');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).to.equal(0);

    // Shutdown flushes the batched spans before the process exits.
    const spans = spansIn(receiver.bodies);
    const requests = spans.filter((s) => s.name === 'embedline.embed');
    expect(requests.map((s) => spanAttribute(s, 'embedline.request.id')).sort()).to.deep.equal(['traced-1', 'traced-2', 'traced-3']);
    expect(spans.map((s) => s.name)).to.include.members(['embedline.tokenize', 'embedline.batch', 'embedline.infer']);
    const continued = requests.find((s) => spanAttribute(s, 'embedline.request.id') === 'traced-1')!;
    expect([continued.traceId, continued.parentSpanId], 'the producer\'s traceparent attribute is continued').to.deep.equal([traceId, producerSpanId]);
    const fresh = requests.find((s) => spanAttribute(s, 'embedline.request.id') === 'traced-2')!;
    expect(fresh.traceId).to.not.equal(traceId);
  });
});
