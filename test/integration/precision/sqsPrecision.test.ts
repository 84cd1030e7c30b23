import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { FileResultSink } from '../../../adapters/sinks/FileResultSink.js';
import { jsonLog } from '../../../adapters/sqs/jsonLog.js';
import { MessageProcessor } from '../../../adapters/sqs/MessageProcessor.js';
import { messageLimits } from '../../../adapters/sqs/messageLimits.js';
import { configSchema } from '../../../core/config/schema.js';
import { SqsBatchHandler } from '../../../functions/sqs-embed/SqsBatchHandler.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { sqsRecord } from '../../fixtures/sqsRecord.js';
import { readNpy } from '../../unit/adapters/encoding/npyReader.js';
import { readFailures } from '../sqs/helpers/results.js';
import { startPrecisionRuntime, type PrecisionRuntime } from './precisionRuntime.js';

const texts = VARIED_SENTENCES.slice(0, 4);
const context = { getRemainingTimeInMillis: () => 600_000 };

/** A Lambda record whose body is `body` (a version-1 message). */
function recordWith(body: Record<string, unknown>): SQSRecord {
  return { ...sqsRecord.any(), body: JSON.stringify({ v: 1, texts, ...body }) };
}

describe('SQS messages with a precision (Lambda batch handler, file sink, real model)', function () {
  this.timeout(240_000);
  let served: PrecisionRuntime;
  let dir: string;
  let handlers: Record<'jsonl' | 'npy', SqsBatchHandler>;

  before(async () => {
    served = await startPrecisionRuntime({ shadow: { sampleRate: 0 } });
    dir = await mkdtemp(join(tmpdir(), 'embedline-sqs-precision-'));
    const log = jsonLog('error');
    const limits = messageLimits(configSchema.parse({}));
    const handler = (format: 'jsonl' | 'npy'): SqsBatchHandler =>
      new SqsBatchHandler(new MessageProcessor({ pipeline: served.runtime.pipeline, sink: new FileResultSink(join(dir, format), format), limits, sinkRetry: { attempts: 1, baseMs: 1 }, log }), { maxInFlightTexts: 64, deadlineMarginMs: 1_000 }, log);
    handlers = { jsonl: handler('jsonl'), npy: handler('npy') };
  });
  after(async () => {
    await served?.runtime.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('embeds at the message\'s precision and stores integer vectors with the precision on each JSONL row', async () => {
    const response = await handlers.jsonl.handle({ Records: [recordWith({ id: 'uint8-doc', precision: 'uint8' })] }, context);
    expect(response.batchItemFailures).to.deep.equal([]);
    const rows = (await readFile(join(dir, 'jsonl', 'uint8-doc.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { precision: string; embedding: number[] });
    expect(rows.map((r) => r.precision)).to.deep.equal(texts.map(() => 'uint8'));
    expect(rows.every((r) => r.embedding.length === 384 && r.embedding.every((x) => Number.isInteger(x) && x >= 0 && x <= 255))).to.equal(true);
  });

  it('uses the priority\'s precision when the message names none: background runs on the int8 model', async () => {
    const before = served.batchDevices.length;
    await handlers.jsonl.handle({ Records: [recordWith({ id: 'bg-doc', priority: 'background' })] }, context);
    const rows = (await readFile(join(dir, 'jsonl', 'bg-doc.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { precision: string });
    expect(rows[0]!.precision).to.equal('int8');
    expect(served.batchDevices.slice(before).every((d) => d.startsWith('cpu-int8'))).to.equal(true);
  });

  it('stores an .npy result in the format\'s dtype: binary as |i1 with 48 packed columns', async () => {
    await handlers.npy.handle({ Records: [recordWith({ id: 'bits-doc', precision: 'binary' })] }, context);
    const npy = readNpy(await readFile(join(dir, 'npy', 'bits-doc.npy')));
    expect([npy.descr, npy.shape]).to.deep.equal(['|i1', [texts.length, 48]]);
  });

  it('fails a message naming an unknown precision alone, permanently, with the valid names in failures.jsonl', async () => {
    const response = await handlers.jsonl.handle({ Records: [recordWith({ id: 'bad-precision', precision: 'int4' }), recordWith({ id: 'good-doc' })] }, context);
    expect(response.batchItemFailures).to.have.length(1);
    const failure = (await readFailures(join(dir, 'jsonl'))).find((f) => f.id === 'bad-precision')!;
    expect(failure.reason).to.equal('embed_failed');
    expect(failure.message).to.include('valid precisions: fp32, float16, int16, int8, uint8, binary, ubinary');
    expect((failure as unknown as { retryable: boolean }).retryable).to.equal(false);
  });
});
