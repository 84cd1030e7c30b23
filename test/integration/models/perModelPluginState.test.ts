import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaptiveStatePath } from '../../../core/adaptive/index.js';
import { configSchema } from '../../../core/config/schema.js';
import { ModelRegistry } from '../../../core/models/ModelRegistry.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { testCacheDir } from '../../support/runtime.js';

const MINILM = 'all-MiniLM-L6-v2';

/**
 * Regression: with several models in one process, every model's runtime wrote the same learner
 * state file and cache snapshot, so the last to save overwrote the others' (and the next start
 * loaded one model's learned batch costs into another). Real models, real plugins, real files.
 */
describe('several models: plugin state is per model (real models)', function () {
  this.timeout(300_000);
  let dir: string;
  const stateFile = `per-model-state-${process.pid}.json`;
  const cacheDir = testCacheDir();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-per-model-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    for (const id of [MINILM, 'minilm-int8']) await rm(adaptiveStatePath(cacheDir, stateFile.replace('.json', `.${id}.json`)), { force: true });
  });

  it('each model saves its own predictive state and its own cache snapshot', async () => {
    const config = Object.freeze(
      configSchema.parse({
        cacheDir,
        encoder: { workers: 1, intraOpThreads: 1 },
        plugins: ['cache', 'predictive-batch-size'],
        pluginOptions: {
          cache: { snapshot: { path: join(dir, 'cache.snapshot') } },
          'predictive-batch-size': { stateFile, persistEveryBatches: 1 },
        },
        models: [MINILM, { id: 'minilm-int8', name: MINILM, variant: 'int8' }],
      }),
    );
    const models = ModelRegistry.fromConfig(config, PLUGIN_CATALOGUE);
    try {
      await models.start();
      for (const id of models.ids) {
        const { pipeline } = await models.runtime(id);
        await pipeline.embed([`a text for ${id}`, 'a second text']);
      }
    } finally {
      await models.close();
    }
    expect(existsSync(join(dir, `cache.${MINILM}.snapshot`)), 'MiniLM snapshot').to.equal(true);
    expect(existsSync(join(dir, 'cache.minilm-int8.snapshot')), 'int8 snapshot').to.equal(true);
    expect(existsSync(join(dir, 'cache.snapshot')), 'no shared snapshot').to.equal(false);
    expect(existsSync(adaptiveStatePath(cacheDir, stateFile.replace('.json', `.${MINILM}.json`))), 'MiniLM learner state').to.equal(true);
    expect(existsSync(adaptiveStatePath(cacheDir, stateFile.replace('.json', '.minilm-int8.json'))), 'int8 learner state').to.equal(true);
    expect(existsSync(adaptiveStatePath(cacheDir, stateFile)), 'no shared learner state').to.equal(false);
  });
});
