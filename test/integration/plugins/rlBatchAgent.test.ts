import { rm } from 'node:fs/promises';
import { expect } from 'chai';
import { adaptiveStatePath } from '../../../core/adaptive/index.js';
import type { RlBatchAgentPolicy } from '../../../plugins/rl-batch-agent/RlBatchAgentPolicy.js';
import { RL_BATCH_AGENT_POLICY } from '../../../plugins/rl-batch-agent/tokens.js';
import { VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { maxAbsDiff } from '../../support/model.js';
import { defaultPathVectors, startTestRuntime, testCacheDir } from '../../support/runtime.js';

describe('rl-batch-agent plugin on the real model', () => {
  const texts = [...VARIED_SENTENCES];
  const stateFile = `rl-batch-agent.test-${process.pid}.json`;
  let reference: Map<string, Float32Array>;

  before(async () => {
    reference = await defaultPathVectors(texts);
  });

  after(() => rm(adaptiveStatePath(testCacheDir(), stateFile), { force: true }));

  it('gives the static path\'s vectors to 300 concurrent mixed requests while it tries other arms, and persists', async () => {
    const runtime = await startTestRuntime({
      plugins: ['rl-batch-agent'],
      batching: { maxWaitMs: 5, requestTimeoutMs: 600_000 },
      // Short epochs and a generous cap, so a test-sized load reaches arms other than static.
      pluginOptions: { 'rl-batch-agent': { epochBatches: 2, warmupEpochs: 3, explorationCap: 0.5, stateFile } },
    });
    try {
      const agent = await runtime.container.getAsync<RlBatchAgentPolicy>(RL_BATCH_AGENT_POLICY);
      const requests = Array.from({ length: 300 }, (_, r) => Array.from({ length: 1 + (r % 4) }, (_, k) => texts[(r * 7 + k * 13) % texts.length]!));

      for (const round of [requests.slice(0, 100), requests.slice(100, 200), requests.slice(200)]) {
        const results = await Promise.all(round.map((batch) => runtime.pipeline.embed(batch, { timeoutMs: 600_000 })));
        results.forEach((result, r) => result.vectors.forEach((v, k) => expect(maxAbsDiff(v.values, reference.get(round[r]![k]!)!)).to.be.at.most(1e-5)));
      }
      await agent.flush();

      expect(agent.pulls().slice(1).some((pulls) => pulls > 0)).to.equal(true);
      expect(agent.epochCount).to.be.above(10);
    } finally {
      await runtime.close();
    }
  });
});
