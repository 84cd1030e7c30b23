import { rm } from 'node:fs/promises';
import { expect } from 'chai';
import { pluginRegistries } from '../../../core/runtime.js';
import { adaptiveStatePath } from '../../../core/adaptive/index.js';
import type { PredictiveBatchSizePolicy } from '../../../plugins/predictive-batch-size/PredictiveBatchSizePolicy.js';
import { PREDICTIVE_BATCH_SIZE_POLICY } from '../../../plugins/predictive-batch-size/tokens.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff } from '../../support/model.js';
import { defaultPathVectors, startTestRuntime, testCacheDir } from '../../support/runtime.js';

describe('predictive-batch-size plugin on the real model', () => {
  const texts = [...VARIED_SENTENCES];
  const stateFile = `predictive-batch-size.test-${process.pid}.json`;
  let reference: Map<string, Float32Array>;

  before(async () => {
    reference = await defaultPathVectors(texts);
  });

  after(() => rm(adaptiveStatePath(testCacheDir(), stateFile), { force: true }));

  it('gives the static path\'s vectors to 300 concurrent mixed requests once the model chooses the shape, and learns a MAPE', async () => {
    const runtime = await startTestRuntime({
      plugins: ['predictive-batch-size'],
      batching: { maxWaitMs: 5, requestTimeoutMs: 600_000 },
      pluginOptions: { 'predictive-batch-size': { minSamples: 8, stateFile } },
    });
    try {
      const policy = await runtime.container.getAsync<PredictiveBatchSizePolicy>(PREDICTIVE_BATCH_SIZE_POLICY);
      const requests = Array.from({ length: 300 }, (_, r) => Array.from({ length: 1 + (r % 4) }, (_, k) => texts[(r * 7 + k * 13) % texts.length]!));

      // Two rounds: the first teaches the model, the second is batched by its choices.
      for (const round of [requests.slice(0, 100), requests.slice(100)]) {
        const results = await Promise.all(round.map((batch) => runtime.pipeline.embed(batch, { timeoutMs: 600_000 })));
        results.forEach((result, r) => result.vectors.forEach((v, k) => expect(maxAbsDiff(v.values, reference.get(round[r]![k]!)!)).to.be.at.most(1e-5)));
      }
      await policy.flush();
      const metrics = (await Promise.all(pluginRegistries(runtime).map((r) => r.metrics()))).join('\n');

      expect(policy.learning).to.equal(false);
      expect(metrics).to.match(/^embedline_predictive_batch_latency_mape_ratio \d/m);
    } finally {
      await runtime.close();
    }
  });
});
