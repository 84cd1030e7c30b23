import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { readFailures } from '../sqs/helpers/results.js';
import { singleModelVectors, TEXTS, worstDiff } from './support/singleModelVectors.js';

const BGE = 'bge-small-en-v1.5';
const MINILM = 'all-MiniLM-L6-v2';
const INVOKE = fileURLToPath(new URL('../../support/invokeLambdaOnce.js', import.meta.url));

/** An SQS record as Lambda delivers it, first delivery. */
function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'test', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:requests',
    awsRegion: 'us-east-1',
  };
}

describe('several models in the Lambda handler (real models, one cold start in a child process)', function () {
  this.timeout(600_000);
  let dir: string;

  before(async () => (dir = await mkdtemp(join(tmpdir(), 'embedline-models-lambda-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('routes each record by its model and reports only the unknown-model record as failed', async () => {
    const event: SQSEvent = {
      Records: [
        record('m-1', { v: 1, id: 'bge', texts: [...TEXTS], model: BGE }),
        record('m-2', { v: 1, id: 'unknown', texts: ['x'], model: 'gpt-4' }),
        record('m-3', { v: 1, id: 'minilm', texts: [...TEXTS], model: MINILM }),
      ],
    };
    const eventFile = join(dir, 'event.json');
    await writeFile(eventFile, JSON.stringify(event));
    const env = { ...process.env, EMBEDLINE_MODELS: `${BGE},${MINILM}`, EMBEDLINE_WORKERS: '1', EMBEDLINE_INTRA_OP_THREADS: '1', EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, EMBEDLINE_LOG_LEVEL: 'error' };

    const { stdout } = await promisify(execFile)(process.execPath, [INVOKE, eventFile], { env, maxBuffer: 16 * 1024 * 1024 });

    expect(JSON.parse(stdout.trim().split('\n').pop()!)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    const rows = async (id: string) => (await readFile(join(dir, `${id}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { model: string; embedding: number[] });
    const bge = await rows('bge');
    const minilm = await rows('minilm');
    expect(bge.map((r) => r.model)).to.deep.equal(TEXTS.map(() => BGE));
    expect(worstDiff(bge.map((r) => r.embedding), await singleModelVectors(BGE))).to.be.at.most(1e-5);
    expect(minilm.map((r) => r.model)).to.deep.equal(TEXTS.map(() => MINILM));
    expect(worstDiff(minilm.map((r) => r.embedding), await singleModelVectors(MINILM))).to.be.at.most(1e-5);
    expect((await readFailures(dir)).map((f) => [f.id, f.reason])).to.deep.equal([['unknown', 'unsupported_model']]);
  });
});
