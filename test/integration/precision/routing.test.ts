import { expect } from 'chai';
import { EmbedlineError } from '../../../core/errors.js';
import { dequantize } from '../../../core/precision/quantize.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { cosine, startRealRuntime } from '../../support/model.js';
import { startPrecisionRuntime, type PrecisionRuntime } from './precisionRuntime.js';

const texts = VARIED_SENTENCES.slice(0, 6);

describe('precision routing on the real model (precision plugin)', function () {
  this.timeout(240_000);
  let served: PrecisionRuntime;
  let variantsAtStart: string[];

  before(async () => {
    served = await startPrecisionRuntime({ shadow: { sampleRate: 0 } });
    variantsAtStart = served.runtime.scheduler.status().map((s) => s.variant);
  });
  after(() => served?.runtime.close());

  it('maps each priority to its default precision: critical fp32, normal int16, background int8', async () => {
    const got = await Promise.all((['critical', 'normal', 'background'] as const).map((priority) => served.runtime.pipeline.embed(texts, { priority })));
    expect(got.map((r) => r.precision)).to.deep.equal([
      { name: 'fp32', variant: 'fp32', format: 'float32' },
      { name: 'int16', variant: 'fp32', format: 'int16' },
      { name: 'int8', variant: 'int8', format: 'int8' },
    ]);
    expect(got[1]!.vectors[0]!.quantized.data).to.be.instanceOf(Int16Array);
    expect(got[2]!.vectors[0]!.quantized.data).to.be.instanceOf(Int8Array);
  });

  it('runs a background request on the int8 session, started on first use', async () => {
    const before = served.batchDevices.length;
    const result = await served.runtime.pipeline.embed(texts, { priority: 'background' });
    expect(result.precision.variant).to.equal('int8');
    expect(served.batchDevices.slice(before)).to.satisfy((devices: string[]) => devices.length > 0 && devices.every((d) => d.startsWith('cpu-int8')));
    expect(variantsAtStart).to.deep.equal(['fp32']);
    expect(served.runtime.scheduler.status().map((s) => `${s.id}:${s.variant}`)).to.include('cpu-int8:int8');
  });

  it('lets an explicit precision win over the priority', async () => {
    const result = await served.runtime.pipeline.embed(texts, { priority: 'background', precision: 'binary' });
    expect(result.precision).to.deep.equal({ name: 'binary', variant: 'fp32', format: 'binary' });
    expect(result.vectors[0]!.quantized.data).to.have.length(48);
  });

  it('rejects an unknown precision with EMBEDLINE_UNKNOWN_PRECISION naming every valid one', async () => {
    const error = await served.runtime.pipeline.embed(texts, { precision: 'int4' }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(EmbedlineError).with.property('code', 'EMBEDLINE_UNKNOWN_PRECISION');
    for (const name of ['fp32', 'float16', 'int16', 'int8', 'uint8', 'binary', 'ubinary']) expect((error as Error).message).to.include(name);
  });

  it('never mixes variants in a batch: concurrent fp32 and int8 requests of the same texts each get their own model\'s vectors', async () => {
    const [fp32, int8] = await Promise.all([
      served.runtime.pipeline.embed(texts, { precision: 'fp32' }),
      served.runtime.pipeline.embed(texts, { precision: 'int8' }),
    ]);
    const alone = await served.runtime.pipeline.embed(texts, { precision: 'int8' });
    texts.forEach((_, i) => {
      // The int8 model's vector differs from fp32's (cosine ≈ 0.99), and is its own however batched.
      expect(cosine(int8.vectors[i]!.values, fp32.vectors[i]!.values)).to.be.below(0.9999);
      expect(cosine(int8.vectors[i]!.values, alone.vectors[i]!.values)).to.be.above(0.99999);
    });
  });

  it('serves int8 vectors that dequantize back to the int8 model\'s fp32 output', async () => {
    const result = await served.runtime.pipeline.embed(texts, { precision: 'int8' });
    for (const v of result.vectors) expect(cosine(dequantize(v.quantized, served.calibration.ranges), v.values)).to.be.above(0.99);
  });
});

describe('precision without the plugin (core default)', function () {
  this.timeout(120_000);
  let runtime: EmbedlineRuntime;
  before(async () => {
    runtime = await startRealRuntime({ workers: 1 });
  });
  after(() => runtime?.close());

  it('serves fp32 model and float32 vectors whatever the priority', async () => {
    const result = await runtime.pipeline.embed(texts, { priority: 'background' });
    expect(result.precision).to.deep.equal({ name: 'fp32', variant: 'fp32', format: 'float32' });
    expect(result.vectors[0]!.quantized.data).to.equal(result.vectors[0]!.values);
  });

  it('rejects a non-fp32 precision with a message saying to enable the precision plugin', async () => {
    const error = await runtime.pipeline.embed(texts, { precision: 'int8' }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(EmbedlineError).with.property('code', 'EMBEDLINE_UNKNOWN_PRECISION');
    expect((error as Error).message).to.match(/valid precisions: fp32 .*precision plugin/);
  });
});
