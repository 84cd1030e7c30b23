import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../../../core/config/loadConfig.js';
import { buildContainer } from '../../../../core/container.js';
import type { EmbedlineError } from '../../../../core/errors.js';
import { BATCH_SIZE_POLICY } from '../../../../core/ports/BatchSizePolicy.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';
import { RlBatchAgentPolicy } from '../../../../plugins/rl-batch-agent/RlBatchAgentPolicy.js';

const config = (plugins: string[]) => ({ ...loadConfig({ EMBEDLINE_CACHE_DIR: tmpdir() }, undefined, tmpdir()), plugins });

describe('rl-batch-agent plugin wiring', () => {
  it('replaces the static policy when enabled', async () => {
    const policy = await buildContainer(config(['rl-batch-agent']), PLUGIN_CATALOGUE).getAsync(BATCH_SIZE_POLICY);

    expect(policy).to.be.instanceOf(RlBatchAgentPolicy);
  });

  it('is an alternative to predictive-batch-size: enabling both fails at start naming both', () => {
    const error = (() => {
      try {
        buildContainer(config(['predictive-batch-size', 'rl-batch-agent']), PLUGIN_CATALOGUE);
      } catch (e) {
        return e as EmbedlineError;
      }
    })();

    expect(error?.code).to.equal('EMBEDLINE_PLUGIN_CONFLICT');
    expect(error?.message).to.contain('predictive-batch-size').and.to.contain('rl-batch-agent');
  });
});
