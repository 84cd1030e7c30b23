import { expect } from 'chai';
import { dirname } from 'node:path';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { PrecisionMetrics } from '../../../plugins/precision/PrecisionMetrics.js';
import { ShadowCheck } from '../../../plugins/precision/ShadowCheck.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { promtool } from '../observability/support/promtool.js';
import { repoFile } from '../observability/support/repoFiles.js';
import { startPrecisionRuntime, type PrecisionRuntime } from './precisionRuntime.js';

const texts = VARIED_SENTENCES.slice(0, 6);

/** The value of one sample of a Prometheus exposition (0 when absent). */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  for (const line of exposition.split('\n')) {
    const match = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (wanted.every(([k, v]) => present[k] === v)) return Number(match[3]);
  }
  return 0;
}

describe('precision observability on the real model', function () {
  this.timeout(240_000);
  let served: PrecisionRuntime;
  let shadow: ShadowCheck;
  let precisionMetrics: PrecisionMetrics;
  const pipelineMetrics = new PipelineMetrics({ defaultMetrics: false });

  before(async () => {
    served = await startPrecisionRuntime({ shadow: { sampleRate: 1 } }, {}, [observerModule(pipelineMetrics)]);
    shadow = await served.runtime.container.getAsync(ShadowCheck);
    precisionMetrics = served.runtime.container.get(PrecisionMetrics);
  });
  after(() => served?.runtime.close());

  it('counts requests and vectors per served precision', async () => {
    await served.runtime.pipeline.embed(texts, { precision: 'binary' });
    await served.runtime.pipeline.embed(texts.slice(0, 2), { priority: 'critical' });
    await served.runtime.pipeline.embed(texts, { precision: 'nope' }).catch(() => undefined);
    const page = await pipelineMetrics.registry.metrics();
    expect(sample(page, 'embedline_precision_requests_total', { precision: 'binary', outcome: 'ok' })).to.equal(1);
    expect(sample(page, 'embedline_precision_vectors_total', { precision: 'binary' })).to.equal(texts.length);
    expect(sample(page, 'embedline_precision_vectors_total', { precision: 'fp32' })).to.equal(2);
    expect(sample(page, 'embedline_precision_requests_total', { precision: 'unresolved', outcome: 'EMBEDLINE_UNKNOWN_PRECISION' })).to.equal(1);
  });

  it('at sample rate 1 re-embeds an int8 request\'s texts on the fp32 model after the response, and records their cosine', async () => {
    await shadow.idle();
    const before = served.batchDevices.length;
    const countBefore = sample(await precisionMetrics.registry.metrics(), 'embedline_precision_shadow_cosine_count', { precision: 'int8' });

    await served.runtime.pipeline.embed(texts, { precision: 'int8' });
    // The response came back before the shadow work was even queued.
    const atResponse = served.batchDevices.slice(before);
    await shadow.idle();

    expect(atResponse.every((d) => d.startsWith('cpu-int8'))).to.equal(true);
    expect(served.batchDevices.slice(before + atResponse.length).every((d) => d.startsWith('cpu-fp32'))).to.equal(true);
    const page = await precisionMetrics.registry.metrics();
    const count = sample(page, 'embedline_precision_shadow_cosine_count', { precision: 'int8' }) - countBefore;
    expect(count).to.equal(texts.length);
    // The int8 model's int8 vectors keep cosine ≈ 0.99 to fp32 (issue 12 measured mean 0.9895).
    expect(sample(page, 'embedline_precision_shadow_cosine_bucket', { precision: 'int8', le: '0.95' })).to.equal(0);
  });

  it('records fp32-model formats from the vectors at hand, without another inference', async () => {
    await shadow.idle();
    await served.runtime.pipeline.embed(texts, { precision: 'int16' });
    const atResponse = served.batchDevices.length;
    await shadow.idle();
    const page = await precisionMetrics.registry.metrics();
    expect(served.batchDevices.length).to.equal(atResponse);
    expect(sample(page, 'embedline_precision_shadow_cosine_count', { precision: 'int16' })).to.equal(texts.length);
    expect(sample(page, 'embedline_precision_shadow_cosine_bucket', { precision: 'int16', le: '0.9999' })).to.equal(0);
  });

  it('never samples fp32/float32 requests and exports each precision\'s floor', async () => {
    await served.runtime.pipeline.embed(texts, { precision: 'fp32' });
    await shadow.idle();
    const page = await precisionMetrics.registry.metrics();
    expect(sample(page, 'embedline_precision_shadow_cosine_count', { precision: 'fp32' })).to.equal(0);
    expect(sample(page, 'embedline_precision_shadow_cosine_floor', { precision: 'int8' })).to.equal(0.95);
  });
});

describe('precision shadow check disabled (sample rate 0)', function () {
  this.timeout(240_000);
  it('records nothing', async () => {
    const served = await startPrecisionRuntime({ shadow: { sampleRate: 0 } });
    try {
      await served.runtime.pipeline.embed(texts, { precision: 'int8' });
      await (await served.runtime.container.getAsync(ShadowCheck)).idle();
      const page = await served.runtime.container.get(PrecisionMetrics).registry.metrics();
      expect(sample(page, 'embedline_precision_shadow_cosine_count', { precision: 'int8' })).to.equal(0);
    } finally {
      await served.runtime.close();
    }
  });
});

describe('precision alert rules (config/prometheus/alerts.yml)', () => {
  it('pass their promtool unit tests', async () => {
    const tests = repoFile('config/prometheus/tests/precision_alerts_test.yml');
    const result = await promtool(['test', 'rules', tests], { cwd: dirname(tests) });
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.contain('SUCCESS');
  });
});
