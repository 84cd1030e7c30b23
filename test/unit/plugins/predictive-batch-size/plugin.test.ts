import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from '../../../../core/config/loadConfig.js';
import { buildContainer } from '../../../../core/container.js';
import { BATCH_SIZE_POLICY } from '../../../../core/ports/BatchSizePolicy.js';
import { StaticBatchSizePolicy } from '../../../../core/pipeline/StaticBatchSizePolicy.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';
import { PredictiveBatchSizePolicy } from '../../../../plugins/predictive-batch-size/PredictiveBatchSizePolicy.js';

function containerFor(env: Record<string, string>, file?: Record<string, unknown>) {
  const config = loadConfig({ EMBEDLINE_CACHE_DIR: tmpdir(), ...env }, undefined, tmpdir());
  return buildContainer(file ? { ...config, ...file } : config, PLUGIN_CATALOGUE);
}

describe('predictive-batch-size plugin wiring', () => {
  it('replaces the static policy when EMBEDDING_ADAPTIVE_BATCH_SIZE is true', async () => {
    const policy = await containerFor({ EMBEDDING_ADAPTIVE_BATCH_SIZE: 'true' }).getAsync(BATCH_SIZE_POLICY);

    expect(policy).to.be.instanceOf(PredictiveBatchSizePolicy);
  });

  it('leaves the static policy in place when the switch is off', async () => {
    const policy = await containerFor({ EMBEDDING_ADAPTIVE_BATCH_SIZE: 'false' }).getAsync(BATCH_SIZE_POLICY);

    expect(policy).to.be.instanceOf(StaticBatchSizePolicy);
  });

  it('fails at start with the path of an invalid option', () => {
    const error = (() => {
      try {
        containerFor({}, { plugins: ['predictive-batch-size'], pluginOptions: { 'predictive-batch-size': { waitShare: 2 } } });
      } catch (e) {
        return e;
      }
    })();

    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).to.contain('pluginOptions.predictive-batch-size.waitShare');
  });
});
