import { expect } from 'chai';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElasticMq } from '../../support/elasticmq.js';
import { sharedElasticMq } from '../../support/sharedElasticMq.js';
import { localSqs, queueDepth, queueUrl, sendAll, waitFor } from '../sqs/helpers/localQueue.js';
import { readFailures, resultIds } from '../sqs/helpers/results.js';
import { spawnWorker, type WorkerProcess } from '../sqs/helpers/workerProcess.js';
import { singleModelVectors, TEXTS, worstDiff } from './support/singleModelVectors.js';

const BGE = 'bge-small-en-v1.5';
const MINILM = 'all-MiniLM-L6-v2';

/** A result file's rows: the model that embedded them and their vectors. */
async function stored(dir: string, id: string): Promise<{ models: string[]; vectors: number[][] }> {
  const rows = (await readFile(join(dir, `${id}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { model: string; embedding: number[] });
  return { models: rows.map((r) => r.model), vectors: rows.map((r) => r.embedding) };
}

describe('several models in the SQS worker (ElasticMQ, real models)', function () {
  this.timeout(600_000);
  let mq: ElasticMq;
  let sqs: SQSClient;
  let dir: string;
  let worker: WorkerProcess | undefined;

  before(async () => {
    [mq, dir] = await Promise.all([sharedElasticMq({ queues: ['several-models'], maxReceiveCount: 1, visibilityTimeoutSec: 5 }), mkdtemp(join(tmpdir(), 'embedline-models-sqs-'))]);
    sqs = localSqs(mq);
  });

  after(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    sqs?.destroy();
    await Promise.all([mq?.stop(), dir && rm(dir, { recursive: true, force: true })]);
  });

  it('routes each message by its model, records the model with the result, and sends an unknown model to the DLQ alone', async () => {
    const url = await queueUrl(sqs, 'several-models');
    // `embedline worker --model bge-small-en-v1.5 --model all-MiniLM-L6-v2`, as the done-when names it.
    worker = spawnWorker(url, mq.endpoint, { EMBEDLINE_MODELS: '', EMBEDLINE_WORKERS: '1', EMBEDLINE_INTRA_OP_THREADS: '1', EMBEDLINE_SINK: 'file', EMBEDLINE_RESULTS_DIR: dir, EMBEDLINE_SQS_VISIBILITY_TIMEOUT: '5' }, ['--model', BGE, '--model', MINILM]);
    await worker.ready();
    expect(worker.logs.find((l) => l.event === 'worker.ready')!.models).to.deep.equal([BGE, MINILM]);
    const texts = [...TEXTS];
    await sendAll(sqs, url, [
      { Id: 'x', MessageBody: JSON.stringify({ v: 1, id: 'bge-query', texts, model: BGE, inputType: 'query' }) },
      { Id: 'x', MessageBody: JSON.stringify({ v: 1, id: 'unknown', texts, model: 'gpt-4' }) },
      { Id: 'x', MessageBody: JSON.stringify({ v: 1, id: 'minilm', texts, model: MINILM }) },
      { Id: 'x', MessageBody: JSON.stringify({ v: 1, id: 'default', texts }) },
    ]);

    await waitFor(async () => (await resultIds(dir)).length === 3, 300_000, 'three results');
    await waitFor(async () => (await queueDepth(sqs, `${url}-dlq`)).visible === 1, 60_000, 'the unknown-model message in the DLQ');

    expect((await resultIds(dir)).sort()).to.deep.equal(['bge-query', 'default', 'minilm']);
    const bgeQuery = await stored(dir, 'bge-query');
    const minilm = await stored(dir, 'minilm');
    const byDefault = await stored(dir, 'default');
    expect(bgeQuery.models).to.deep.equal(texts.map(() => BGE));
    expect(minilm.models).to.deep.equal(texts.map(() => MINILM));
    expect(byDefault.models).to.deep.equal(texts.map(() => BGE));
    expect(worstDiff(bgeQuery.vectors, await singleModelVectors(BGE, { prompt: { inputType: 'query' } }))).to.be.at.most(1e-5);
    expect(worstDiff(minilm.vectors, await singleModelVectors(MINILM))).to.be.at.most(1e-5);
    expect(worstDiff(byDefault.vectors, await singleModelVectors(BGE))).to.be.at.most(1e-5);
    const failures = await readFailures(dir);
    expect(failures.map((f) => [f.id, f.reason])).to.deep.include(['unknown', 'unsupported_model']);
    expect(failures.find((f) => f.id === 'unknown')!.message).to.contain(`"${BGE}", "${MINILM}"`);
    expect(await worker.metric('embedline_requests_total', `model="${MINILM}"`)).to.equal(1);
  });
});
