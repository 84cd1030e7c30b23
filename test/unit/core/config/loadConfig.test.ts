import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../../core/config/loadConfig.js';

const emptyDir = mkdtempSync(join(tmpdir(), 'embedline-config-'));

describe('loadConfig', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = loadConfig({}, undefined, emptyDir);

    expect(config.model.name).to.equal('all-MiniLM-L6-v2');
    expect(config.http.port).to.equal(8080);
    expect(config.plugins).to.deep.equal([]);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({}, undefined, emptyDir);

    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.http)).to.equal(true);
  });

  it('lets EMBEDLINE_* variables override the file', () => {
    const file = join(emptyDir, 'a.json');
    writeFileSync(file, JSON.stringify({ http: { port: 9000 }, batching: { maxWaitMs: 5 } }));

    const config = loadConfig({ EMBEDLINE_PORT: '9100' }, file);

    expect(config.http.port).to.equal(9100);
    expect(config.batching.maxWaitMs).to.equal(5);
  });

  it('reads execution providers, the padding limit and tracing from the environment', () => {
    const config = loadConfig(
      { EMBEDLINE_EXECUTION_PROVIDERS: 'cuda,cpu', EMBEDLINE_MAX_PADDING_RATIO: '0.3', EMBEDLINE_TRACING_EXPORTER: 'otlp', EMBEDLINE_TRACING_SAMPLE_RATIO: '0.25' },
      undefined,
      emptyDir,
    );

    expect(config.encoder.executionProviders).to.deep.equal(['cuda', 'cpu']);
    expect(config.batching.maxPaddingRatio).to.equal(0.3);
    expect(config.tracing.exporter).to.equal('otlp');
    expect(config.tracing.sampleRatio).to.equal(0.25);
  });

  it('rejects an execution provider ONNX Runtime does not ship for Node', () => {
    expect(() => loadConfig({ EMBEDLINE_EXECUTION_PROVIDERS: 'tensorrt' }, undefined, emptyDir)).to.throw(ConfigError, /encoder\.executionProviders/);
  });

  it('reads YAML files', () => {
    const file = join(emptyDir, 'b.yaml');
    writeFileSync(file, 'plugins:\n  - memory-pool\nhttp:\n  port: 7000\n');

    const config = loadConfig({}, file);

    expect(config.plugins).to.deep.equal(['memory-pool']);
    expect(config.http.port).to.equal(7000);
  });

  it('maps the seed switches onto plugins', () => {
    const config = loadConfig({ EMBEDDING_GPU_MEMORY_POOL: 'true', EMBEDDING_SLO_TRACKING: '1', EMBEDDING_ADAPTIVE_BATCH_SIZE: 'false' }, undefined, emptyDir);

    expect(config.plugins).to.have.members(['memory-pool', 'slo-tracker']);
  });

  it('reports every problem at once, each with its path', () => {
    const file = join(emptyDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ http: { port: -1 }, batching: { maxBatchSize: 0 }, bogus: true }));

    let error: unknown;
    try {
      loadConfig({ EMBEDDING_SLO_TRACKING: 'maybe' }, file);
    } catch (e) {
      error = e;
    }

    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.contain('http.port');
    expect(problems).to.contain('batching.maxBatchSize');
    expect(problems).to.contain('bogus');
    expect(problems).to.contain('EMBEDDING_SLO_TRACKING');
  });

  it('rejects a config file that is not valid JSON with its path in the message', () => {
    const file = join(emptyDir, 'broken.json');
    writeFileSync(file, '{ nope');

    expect(() => loadConfig({}, file)).to.throw(ConfigError, 'broken.json');
  });
});
