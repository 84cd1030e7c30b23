import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { runCli } from '../../support/cli.js';
import { LOCAL_AWS_ENV, localSqs, queueUrl, receiveUpTo } from './helpers/localQueue.js';

describe('embedline enqueue against a local ElasticMQ', function () {
  this.timeout(60_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let dir: string;

  before(async () => {
    [mq, dir] = await Promise.all([sharedElasticMq({ queues: ['enqueue'] }), mkdtemp(join(tmpdir(), 'embedline-enqueue-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    sqs?.destroy();
    await Promise.all([mq?.stop(), dir && rm(dir, { recursive: true, force: true })]);
  });

  const env = (): Record<string, string> => ({ ...LOCAL_AWS_ENV, EMBEDLINE_SQS_ENDPOINT: mq.endpoint, EMBEDLINE_SQS_REGION: 'us-east-1' });

  it('sends a JSONL file as version-1 messages of N texts, named after the file and row ids', async () => {
    const url = await queueUrl(sqs, 'enqueue');
    const rows = Array.from({ length: 25 }, (_, i) => JSON.stringify({ id: `r${i}`, body: `row number ${i}` }));
    await writeFile(join(dir, 'tickets.jsonl'), `${rows.join('\n')}\n`);

    const result = await runCli(['enqueue', join(dir, 'tickets.jsonl'), '--queue-url', url, '--column', 'body', '--texts-per-message', '4', '--priority', 'background'], env());

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.contain('enqueued 7/7 messages (25 texts)');
    const bodies = (await receiveUpTo(sqs, url, 20)).map((m) => JSON.parse(m.Body!) as { v: number; id: string; texts: string[]; priority: string; metadata: { rows: string[] } });
    expect(bodies.map((b) => b.id).sort()).to.deep.equal(['tickets-r0-r3', 'tickets-r12-r15', 'tickets-r16-r19', 'tickets-r20-r23', 'tickets-r24', 'tickets-r4-r7', 'tickets-r8-r11']);
    expect(bodies.flatMap((b) => b.texts).sort()).to.deep.equal(rows.map((_, i) => `row number ${i}`).sort());
    expect(bodies.find((b) => b.id === 'tickets-r24')).to.deep.include({ v: 1, priority: 'background', texts: ['row number 24'] });
  });

  it('exits 2 and sends nothing when the queue URL is missing', async () => {
    await writeFile(join(dir, 'one.txt'), 'hello\n');

    const result = await runCli(['enqueue', join(dir, 'one.txt')], env());

    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('EMBEDLINE_QUEUE_URL');
  });
});
