import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../../../core/config/loadConfig.js';
import { buildContainer } from '../../../../core/container.js';
import { BATCH_FORMER } from '../../../../core/ports/BatchFormer.js';
import { BATCH_SIZE_POLICY } from '../../../../core/ports/BatchSizePolicy.js';
import { PLUGIN_CATALOGUE } from '../../../../plugins/index.js';
import { MemoryAwareBatchFormer } from '../../../../plugins/memory-aware-batcher/MemoryAwareBatchFormer.js';
import { PredictiveBatchSizePolicy } from '../../../../plugins/predictive-batch-size/PredictiveBatchSizePolicy.js';
import { testCacheDir } from '../../../support/runtime.js';

describe('memory-aware-batcher plugin wiring', () => {
  it('binds the memory-aware former, a batch\'s budget being the device budget over the workers, beside the predictive policy', async () => {
    const base = loadConfig({ EMBEDLINE_CACHE_DIR: testCacheDir(), EMBEDLINE_MODEL_VERIFY_ON_START: 'false' }, undefined, tmpdir());
    const config = { ...base, encoder: { ...base.encoder, workers: 2 }, plugins: ['memory-aware-batcher', 'predictive-batch-size'], pluginOptions: { 'memory-aware-batcher': { budgetBytes: 400_000_000 }, 'predictive-batch-size': { stateFile: `wiring-${process.pid}.json` } } };
    const container = buildContainer(config, PLUGIN_CATALOGUE);

    const former = await container.getAsync(BATCH_FORMER);

    expect(former).to.be.instanceOf(MemoryAwareBatchFormer);
    // No device has started yet: the configured budget over the workers.
    expect((former as MemoryAwareBatchFormer).budgetFor('fp32')).to.equal(200_000_000);
    expect(await container.getAsync(BATCH_SIZE_POLICY)).to.be.instanceOf(PredictiveBatchSizePolicy);
  });
});
