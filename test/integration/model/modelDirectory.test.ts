import { expect } from 'chai';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../../core/config/schema.js';
import { EmbedlineError } from '../../../core/errors.js';
import { openModelRuntime } from '../../../core/model/openModelRuntime.js';
import { catalogueModel } from '../../support/catalogueModel.js';
import { cosine } from '../../support/model.js';
import { startTestRuntime } from '../../support/runtime.js';

/**
 * `model.name` as a path: a sentence-transformers / Hugging Face directory outside the store,
 * read in place with the definition its own files give (here a copy of e5-small-v2's files with
 * the graph linked, so it is not a catalogue entry: no catalogue prompts either).
 */
describe('a model directory named by path', () => {
  let root: string;
  let dir: string;

  before(async () => {
    const e5 = await catalogueModel('e5-small-v2');
    root = await mkdtemp(join(tmpdir(), 'embedline-model-dir-'));
    dir = join(root, 'my-e5');
    await cp(e5.dir, dir, { recursive: true, filter: (source) => !source.endsWith('.onnx') && !source.endsWith('manifest.json') });
    await symlink(e5.onnxPath('fp32'), join(dir, 'onnx', 'model.onnx'));
  });

  after(async () => rm(root, { recursive: true, force: true }));

  it('serves it with the pooling its files define, equal to the catalogue model on the same text', async () => {
    const own = await startTestRuntime({ model: { name: dir, autoPull: false } });
    const catalogued = await startTestRuntime({ model: { name: 'e5-small-v2' } });
    try {
      const info = (await openModelRuntime(configSchema.parse({ model: { name: dir } }))).model;
      expect(info.name).to.equal('my-e5');
      expect(info.definition.pooling).to.deep.equal({ mode: 'mean', normalize: true });
      expect(info.definition.promptsFrom).to.equal('none');
      const text = 'passage: tides follow the moon';
      const [a, b] = await Promise.all([own.pipeline.embed([text]), catalogued.pipeline.embed([text])]);
      expect(cosine(a.vectors[0]!.values, b.vectors[0]!.values)).to.be.at.least(0.999999);
    } finally {
      await Promise.all([own.close(), catalogued.close()]);
    }
  });

  it('fails at start naming the file when the directory lacks its pooling configuration', async () => {
    const broken = join(root, 'no-pooling');
    await cp(dir, broken, { recursive: true, verbatimSymlinks: true, filter: (source) => !source.includes('1_Pooling') });
    const error = await openModelRuntime(configSchema.parse({ model: { name: broken } })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EmbedlineError);
    expect((error as EmbedlineError).code).to.equal('EMBEDLINE_MODEL_NOT_FOUND');
    expect((error as EmbedlineError).message).to.contain('1_Pooling/config.json');
  });
});
