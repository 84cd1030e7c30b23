import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { runCli, type CliResult } from '../../support/cli.js';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs, queueDepth, queueUrl, sendAll, waitFor } from '../sqs/helpers/localQueue.js';
import { resultIds } from '../sqs/helpers/results.js';
import { spawnWorker } from '../sqs/helpers/workerProcess.js';

/** Strings that appear nowhere but in the requests: finding one in a log means a text or the key leaked. */
const MARKER_TEXT = 'zq8vtext-marker-never-logged';
const MARKER_KEY = 'zq8vkey0-marker-never-logged';

/** Looks for each marker's first eight characters: an excerpt (V8 quotes about ten) leaks as surely as the whole. */
function leaks(output: string): string[] {
  return [MARKER_TEXT, MARKER_KEY].map((marker) => marker.slice(0, 8)).filter((head) => output.includes(head));
}

describe('logs never hold request texts or the API key', function () {
  this.timeout(180_000);

  it('embedline serve: a request that fails and one that succeeds leave no marker in stdout or stderr', async () => {
    const server = runCli(['serve', '--host', '127.0.0.1', '--port', '0'], { EMBEDLINE_API_KEY: MARKER_KEY, EMBEDLINE_LOG_LEVEL: 'debug' });
    let output = '';
    server.child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    let result: CliResult;
    const statuses: number[] = [];
    try {
      await waitFor(() => output.includes('embedline: ready') || server.child.exitCode !== null, 120_000, 'the server to be ready');
      const base = /listening on (http:\/\/\S+)/.exec(output)![1]!;
      const post = (body: string, key = MARKER_KEY) => fetch(`${base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
      const ok = await post(JSON.stringify({ input: [`${MARKER_TEXT} is a sentence.`] }));
      const attempts = [
        await post(`{"input":["${MARKER_TEXT}"] trailing`),
        await post(`{"input":[${MARKER_TEXT}]}`),
        await post(JSON.stringify({ input: [MARKER_TEXT, 7] })),
        await post(JSON.stringify({ input: MARKER_TEXT }), `${MARKER_KEY}-wrong`),
        await post(JSON.stringify({ input: [MARKER_TEXT], encoding_format: MARKER_TEXT })),
      ];
      statuses.push(ok.status, ...attempts.map((r) => r.status));
      const embedding = ((await ok.json()) as { data: { embedding: number[] }[] }).data[0]!.embedding;
      expect(embedding).to.have.length(384);
    } finally {
      server.child.kill('SIGTERM');
      result = await server;
    }

    expect(statuses[0], 'the good request').to.equal(200);
    expect(statuses.slice(1).every((s) => s >= 400 && s < 500), `failing requests: ${statuses.join(', ')}`).to.equal(true);
    expect(result.stderr, 'the capture holds the server log').to.include('embedline: ready');
    expect(leaks(result.stdout + result.stderr)).to.deep.equal([]);
  });

  describe('embedline worker', () => {
    let mq: ElasticMq;
    let sqs: SQSClient;
    let dir: string;
    before(async () => {
      [mq, dir] = await Promise.all([sharedElasticMq({ queues: ['security-logs'], maxReceiveCount: 1, visibilityTimeoutSec: 5 }), mkdtemp(join(tmpdir(), 'embedline-security-'))]);
      sqs = localSqs(mq);
    });
    after(async () => {
      sqs?.destroy();
      await Promise.all([mq?.stop(), dir && rm(dir, { recursive: true, force: true })]);
    });

    it('failed and embedded messages leave no marker in the log or in failures.jsonl', async () => {
      const url = await queueUrl(sqs, 'security-logs');
      const bodies = [
        JSON.stringify({ v: 1, id: 'good', texts: [`${MARKER_TEXT} is a sentence.`] }),
        `{"v":1,"id":"not-json","texts":["${MARKER_TEXT}"]`,
        `{"v":1,"id":"bare-word","texts":[${MARKER_TEXT}]}`,
        `{"v":1,"id":"trailing","texts":["x"]} ${MARKER_TEXT}`,
        JSON.stringify({ v: 1, id: 'too-long', texts: [MARKER_TEXT.repeat(10)] }),
        JSON.stringify({ v: 1, id: 'wrong-type', texts: [MARKER_TEXT, 7] }),
      ];
      await sendAll(sqs, url, bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })));
      const worker = spawnWorker(url, mq.endpoint, { EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '5', EMBEDLINE_SQS_MAX_TEXT_CHARS: '100', EMBEDLINE_LOG_LEVEL: 'debug', EMBEDLINE_API_KEY: MARKER_KEY });
      try {
        await worker.ready();
        await waitFor(async () => (await queueDepth(sqs, `${url}-dlq`)).visible === bodies.length - 1 && (await resultIds(dir)).includes('good'), 60_000, 'the bad messages in the DLQ and the good result');
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
      const failures = await readFile(join(dir, 'failures', 'failures.jsonl'), 'utf8');

      expect(failures.split('\n').filter(Boolean), 'one failure line per bad message').to.have.length(bodies.length - 1);
      expect(worker.logs.filter((l) => l.event === 'sqs.message_failed'), 'the log holds the failures').to.have.length(bodies.length - 1);
      expect(leaks(worker.stderr() + failures)).to.deep.equal([]);
    });
  });
});
