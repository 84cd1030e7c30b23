import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbedlineError } from '../../../../core/errors.js';
import { readModelDefinition } from '../../../../core/model/modelDefinition.js';

const TRANSFORMER = { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' };
const POOLING = { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' };
const NORMALIZE = { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' };
const MEAN = { word_embedding_dimension: 384, pooling_mode_cls_token: false, pooling_mode_mean_tokens: true, pooling_mode_max_tokens: false, pooling_mode_mean_sqrt_len_tokens: false };

/** A sentence-transformers directory holding just the given files (objects written as JSON). */
async function modelDir(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'embedline-definition-'));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const MINILM_FILES = {
  'modules.json': [TRANSFORMER, POOLING, NORMALIZE],
  '1_Pooling/config.json': MEAN,
  'sentence_bert_config.json': { max_seq_length: 256, do_lower_case: false },
  'config_sentence_transformers.json': { __version__: { sentence_transformers: '2.0.0' } },
};

async function failure(promise: Promise<unknown>): Promise<EmbedlineError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, 'expected a failure').to.be.instanceOf(EmbedlineError);
  return error as EmbedlineError;
}

describe('readModelDefinition (sentence-transformers files)', () => {
  const dirs: string[] = [];
  const dir = async (files: Record<string, unknown>): Promise<string> => {
    const made = await modelDir(files);
    dirs.push(made);
    return made;
  };
  after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('reads MiniLM as mean pooling, normalized, 256, no prompts', async () => {
    const definition = await readModelDefinition(await dir(MINILM_FILES), 384, 512);
    expect(definition).to.deep.equal({ pooling: { mode: 'mean', normalize: true }, maxSeqLength: 256, doLowerCase: false, prompts: {}, defaultPromptName: undefined, promptsFrom: 'none' });
  });

  for (const [key, mode] of [['pooling_mode_cls_token', 'cls'], ['pooling_mode_max_tokens', 'max'], ['pooling_mode_lasttoken', 'lasttoken']] as const) {
    it(`reads ${key} as ${mode}; without a Normalize module the vectors are not normalized`, async () => {
      const files = { ...MINILM_FILES, 'modules.json': [TRANSFORMER, POOLING], '1_Pooling/config.json': { ...MEAN, pooling_mode_mean_tokens: false, [key]: true } };
      expect((await readModelDefinition(await dir(files), 384, 512)).pooling).to.deep.equal({ mode, normalize: false });
    });
  }

  it('reads prompts and default_prompt_name from config_sentence_transformers.json, and do_lower_case', async () => {
    const files = {
      ...MINILM_FILES,
      'sentence_bert_config.json': { max_seq_length: 512, do_lower_case: true },
      'config_sentence_transformers.json': { prompts: { query: 'query: ', document: '' }, default_prompt_name: 'document' },
    };
    const definition = await readModelDefinition(await dir(files), 384, 512);
    expect(definition).to.include({ doLowerCase: true, defaultPromptName: 'document', promptsFrom: 'config_sentence_transformers.json', maxSeqLength: 512 });
    expect(definition.prompts).to.deep.equal({ query: 'query: ', document: '' });
  });

  it('takes the catalogue\'s prompts for a model whose files declare none (e5), and config_sentence_transformers.json may be absent', async () => {
    const { 'config_sentence_transformers.json': _, ...withoutStConfig } = MINILM_FILES;
    const definition = await readModelDefinition(await dir(withoutStConfig), 384, 512, { prompts: { query: 'query: ', passage: 'passage: ' } });
    expect(definition.prompts).to.deep.equal({ query: 'query: ', passage: 'passage: ' });
    expect(definition.promptsFrom).to.equal('catalogue');
  });

  for (const missing of ['modules.json', '1_Pooling/config.json', 'sentence_bert_config.json']) {
    it(`refuses a directory without ${missing} with EMBEDLINE_MODEL_NOT_FOUND naming it`, async () => {
      const files: Record<string, unknown> = { ...MINILM_FILES };
      delete files[missing];
      const error = await failure(readModelDefinition(await dir(files), 384, 512));
      expect(error.code).to.equal('EMBEDLINE_MODEL_NOT_FOUND');
      expect(error.message).to.contain(missing);
    });
  }

  const contradictions: [string, Record<string, unknown>, string][] = [
    ['two pooling modes', { '1_Pooling/config.json': { ...MEAN, pooling_mode_cls_token: true } }, 'mean and cls at once'],
    ['no pooling mode', { '1_Pooling/config.json': { ...MEAN, pooling_mode_mean_tokens: false } }, 'no pooling mode'],
    ['mean_sqrt_len pooling', { '1_Pooling/config.json': { ...MEAN, pooling_mode_mean_sqrt_len_tokens: true } }, 'pooling_mode_mean_sqrt_len_tokens'],
    ['include_prompt false', { '1_Pooling/config.json': { ...MEAN, include_prompt: false } }, 'include_prompt'],
    ['a width other than hidden_size', { '1_Pooling/config.json': { ...MEAN, word_embedding_dimension: 768 } }, 'word_embedding_dimension 768'],
    ['a Dense module', { 'modules.json': [TRANSFORMER, POOLING, { idx: 2, path: '2_Dense', type: 'sentence_transformers.models.Dense' }] }, 'sentence_transformers.models.Dense'],
    ['max_seq_length beyond the position table', { 'sentence_bert_config.json': { max_seq_length: 1024 } }, 'max_position_embeddings 512'],
    ['an unknown default prompt', { 'config_sentence_transformers.json': { prompts: { query: 'q: ' }, default_prompt_name: 'passage' } }, '"passage"'],
    ['broken JSON', { 'modules.json': '[{' }, 'not valid JSON'],
  ];
  for (const [what, override, named] of contradictions) {
    it(`refuses ${what} with EMBEDLINE_CONFIG naming the file`, async () => {
      const error = await failure(readModelDefinition(await dir({ ...MINILM_FILES, ...override }), 384, 512));
      expect(error.code).to.equal('EMBEDLINE_CONFIG');
      expect(error.message).to.contain(Object.keys(override)[0]!).and.to.contain(named);
    });
  }

  it('refuses prompts declared both by the files and by the catalogue', async () => {
    const files = { ...MINILM_FILES, 'config_sentence_transformers.json': { prompts: { query: 'query: ' } } };
    const error = await failure(readModelDefinition(await dir(files), 384, 512, { prompts: { query: 'query: ' } }));
    expect(error.code).to.equal('EMBEDLINE_CONFIG');
    expect(error.message).to.contain('config_sentence_transformers.json').and.to.contain('catalogue');
  });
});
