import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { fromBase64, vectorFormat } from '../../../adapters/encoding/index.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../../core/config/schema.js';
import { parseCalibration, type Calibration } from '../../../core/precision/calibration.js';
import { fromHalf } from '../../../core/precision/float16.js';
import { VECTOR_FORMATS, type VectorFormat } from '../../../core/precision/formats.js';
import { dequantize } from '../../../core/precision/quantize.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { DEFAULT_PRECISIONS } from '../../../plugins/precision/config.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { startTestRuntime } from '../../support/runtime.js';
import { calibratedStore, startPrecisionRuntime, uncalibratedCacheDir } from '../precision/precisionRuntime.js';

const texts = VARIED_SENTENCES.slice(0, 8);
const MODEL = 'all-MiniLM-L6-v2';
/** Half a level of each calibrated format, as a share of the dimension's range. */
const HALF_LEVEL = { int16: 0.5 / 65_535, int8: 0.5 / 255, uint8: 0.5 / 255 } as const;

interface EmbeddingsBody {
  data: { embedding: number[] | string; precision: string; index: number }[];
  error?: { code: string; message: string };
}

async function serve(runtime: EmbedlineRuntime, cacheDir: string): Promise<{ app: FastifyInstance; base: string }> {
  const config = configSchema.parse({ cacheDir });
  const app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline });
  return { app, base: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A served vector back to numbers in its format's elements, from JSON or base64. */
function elements(format: VectorFormat, embedding: number[] | string): number[] {
  if (typeof embedding === 'string') return Array.from(fromBase64(embedding, vectorFormat(format)), (x) => (format === 'float16' ? fromHalf(x) : x));
  return embedding;
}

/** float16 JSON carries values; dequantize wants the bit patterns, so float16 is compared directly. */
function decoded(format: VectorFormat, values: number[], calibration: Calibration, dims: number): Float32Array {
  if (format === 'float16' || format === 'float32') return Float32Array.from(values);
  const data = format === 'int16' ? Int16Array.from(values) : format === 'int8' || format === 'binary' ? Int8Array.from(values) : Uint8Array.from(values);
  return dequantize({ format, dimensions: dims, data }, calibration.ranges);
}

describe('HTTP precision on the real model (precision plugin)', function () {
  this.timeout(240_000);
  let runtime: EmbedlineRuntime;
  let app: FastifyInstance;
  let base: string;
  let calibration: Calibration;
  /** fp32 and int8 model outputs as float32, the references each format is checked against. */
  const reference: Partial<Record<'fp32' | 'int8', number[][]>> = {};

  before(async () => {
    const started = await startPrecisionRuntime({ precisions: { ...DEFAULT_PRECISIONS, 'int8-float': { variant: 'int8', format: 'float32' } }, shadow: { sampleRate: 0 } });
    runtime = started.runtime;
    ({ app, base } = await serve(runtime, (await calibratedStore()).cacheDir));
    const served = (await (await fetch(`${base}/v1/models/${MODEL}/quantization`)).json()) as Record<string, unknown>;
    expect(served.object).to.equal('quantization');
    delete served.object;
    calibration = parseCalibration(served);
    for (const [variant, precision] of [['fp32', 'fp32'], ['int8', 'int8-float']] as const) {
      const body = (await (await post(base, '/v1/embeddings', { input: texts, precision })).json()) as EmbeddingsBody;
      reference[variant] = body.data.map((d) => d.embedding as number[]);
    }
  });
  after(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('serves the calibration at GET /v1/models/{id}/quantization', () => {
    expect([calibration.version, calibration.dimensions, calibration.ranges.min.length, calibration.ranges.int16?.min.length]).to.deep.equal([2, 384, 384, 384]);
  });

  it('takes X-Embedline-Precision over the body field and reports it per item and in the response header', async () => {
    const response = await post(base, '/v1/embeddings', { input: texts.slice(0, 2), precision: 'int16' }, { 'x-embedline-precision': 'uint8' });
    const body = (await response.json()) as EmbeddingsBody;
    expect([response.status, response.headers.get('x-embedline-precision'), response.headers.get('x-embedline-model-variant'), response.headers.get('x-embedline-vector-format')]).to.deep.equal([200, 'uint8', 'fp32', 'uint8']);
    expect(body.data.map((d) => d.precision)).to.deep.equal(['uint8', 'uint8']);
    expect((body.data[0]!.embedding as number[]).every((x) => Number.isInteger(x) && x >= 0 && x <= 255)).to.equal(true);
  });

  it('maps a background request (x-priority) to int8 on the int8 model when it names no precision', async () => {
    const response = await post(base, '/v1/embeddings', { input: texts.slice(0, 1) }, { 'x-priority': 'background' });
    expect([response.headers.get('x-embedline-precision'), response.headers.get('x-embedline-model-variant')]).to.deep.equal(['int8', 'int8']);
  });

  it('accepts the precision field on the TEI route and reports it in the header', async () => {
    const response = await post(base, '/embed', { inputs: texts.slice(0, 2), precision: 'binary' });
    const body = (await response.json()) as number[][];
    expect(response.headers.get('x-embedline-precision')).to.equal('binary');
    expect(body[0]).to.have.length(48);
  });

  type Placement = (precision: string) => [Record<string, string>, Record<string, string>];
  const placements: [string, Placement][] = [['header', (p) => [{}, { 'x-embedline-precision': p }]], ['body', (p) => [{ precision: p }, {}]]];
  for (const [where, send] of placements) {
    it(`answers an unknown precision in the ${where} with 400 EMBEDLINE_UNKNOWN_PRECISION naming the valid ones`, async () => {
      const [extra, headers] = send('int4');
      const response = await post(base, '/v1/embeddings', { input: 'x', ...extra }, headers);
      const body = (await response.json()) as EmbeddingsBody;
      expect([response.status, body.error!.code]).to.deep.equal([400, 'EMBEDLINE_UNKNOWN_PRECISION']);
      expect(body.error!.message).to.include('valid precisions: fp32, float16, int16, int8, uint8, binary, ubinary, int8-float');
    });
  }

  for (const format of VECTOR_FORMATS) {
    for (const encoding of ['float', 'base64'] as const) {
      it(`returns ${format} vectors as ${encoding} within the format's error bound of the model's float output`, async () => {
        const name = format === 'float32' ? 'fp32' : format;
        const variant = DEFAULT_PRECISIONS[name].variant;
        const body = (await (await post(base, '/v1/embeddings', { input: texts, precision: name, encoding_format: encoding })).json()) as EmbeddingsBody;
        body.data.forEach((item, i) => {
          const ref = reference[variant]![i]!;
          const values = elements(format, item.embedding);
          if (format === 'binary' || format === 'ubinary') {
            const bits = values.map((b) => (format === 'binary' ? b + 128 : b));
            ref.forEach((x, d) => expect(((bits[d >> 3]! >> (7 - (d & 7))) & 1) === 1, `dim ${d}`).to.equal(x > 0));
            return;
          }
          const back = decoded(format, values, calibration, ref.length);
          // int16 has its own, wider ranges (calibration version 2); int8 and uint8 share the quantile ones.
          const range = format === 'int16' && calibration.ranges.int16 ? calibration.ranges.int16 : calibration.ranges;
          ref.forEach((x, d) => {
            const bound = format === 'float32' ? 0 : format === 'float16' ? Math.abs(x) * 2 ** -11 + 2 ** -25 : HALF_LEVEL[format] * (range.max[d]! - range.min[d]!) * 1.0001 + 1e-7;
            // The int8 model's outputs may leave the fp32-measured range; clamping is then the error.
            const clamped = Math.min(range.max[d]!, Math.max(range.min[d]!, x));
            expect(Math.abs(back[d]! - (format === 'float32' || format === 'float16' ? x : clamped)), `text ${i} dim ${d}`).to.be.at.most(bound);
          });
        });
      });
    }
  }
});

describe('HTTP precision without the plugin', function () {
  this.timeout(120_000);
  let runtime: EmbedlineRuntime;
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    const cacheDir = await uncalibratedCacheDir();
    runtime = await startTestRuntime({ cacheDir, encoder: { workers: 1, intraOpThreads: 1 } });
    ({ app, base } = await serve(runtime, cacheDir));
  });
  after(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('gives a client that names no precision float vectors, reported as fp32', async () => {
    const response = await post(base, '/v1/embeddings', { input: 'plain client' }, { 'x-priority': 'background' });
    const body = (await response.json()) as EmbeddingsBody;
    expect([response.headers.get('x-embedline-precision'), body.data[0]!.precision]).to.deep.equal(['fp32', 'fp32']);
    expect((body.data[0]!.embedding as number[]).some((x) => !Number.isInteger(x))).to.equal(true);
  });

  it('answers an explicit int8 with 400 saying to enable the precision plugin', async () => {
    const response = await post(base, '/v1/embeddings', { input: 'x' }, { 'x-embedline-precision': 'int8' });
    const body = (await response.json()) as EmbeddingsBody;
    expect([response.status, body.error!.code]).to.deep.equal([400, 'EMBEDLINE_UNKNOWN_PRECISION']);
    expect(body.error!.message).to.include('enable the precision plugin');
  });

  it('answers GET /v1/models/{id}/quantization on an uncalibrated model with 404 naming embedline model calibrate', async () => {
    const response = await fetch(`${base}/v1/models/${MODEL}/quantization`);
    const body = (await response.json()) as EmbeddingsBody;
    expect([response.status, body.error!.code]).to.deep.equal([404, 'EMBEDLINE_NOT_CALIBRATED']);
    expect(body.error!.message).to.include('embedline model calibrate');
  });
});
