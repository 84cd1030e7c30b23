import { expect } from 'chai';
import { loadConfig } from '../../../../core/config/loadConfig.js';
import { configSchema } from '../../../../core/config/schema.js';
import { servedModelSpecs, withModelFlags } from '../../../../core/models/servedModels.js';

describe('served models from config', () => {
  it('serves the model section alone when there is no models list, with its config unchanged', () => {
    const config = configSchema.parse({ model: { variant: 'int8', maxTokens: 128 } });
    const [only, ...rest] = servedModelSpecs(config);

    expect(rest).to.deep.equal([]);
    expect(only).to.include({ id: 'all-MiniLM-L6-v2', name: 'all-MiniLM-L6-v2', variant: 'int8', lazy: false });
    expect(only!.config).to.equal(config);
  });

  it('lets each entry inherit what it does not set from the model section, in order, first is the default', () => {
    const config = configSchema.parse({
      model: { variant: 'int8', maxTokens: 200, autoPull: false },
      models: ['bge-small-en-v1.5', { id: 'minilm-fp32', name: 'all-MiniLM-L6-v2', variant: 'fp32', maxTokens: 64, lazy: true }],
    });
    const [bge, minilm] = servedModelSpecs(config);

    expect(bge).to.include({ id: 'bge-small-en-v1.5', variant: 'int8', lazy: false });
    expect(bge!.config.model).to.include({ name: 'bge-small-en-v1.5', variant: 'int8', maxTokens: 200, autoPull: false });
    expect(minilm).to.include({ id: 'minilm-fp32', name: 'all-MiniLM-L6-v2', variant: 'fp32', lazy: true });
    expect(minilm!.config.model).to.include({ name: 'all-MiniLM-L6-v2', variant: 'fp32', maxTokens: 64, autoPull: false });
    expect(minilm!.config.encoder).to.equal(config.encoder);
  });

  it('serves a model directory under its last path segment', () => {
    const [spec] = servedModelSpecs(configSchema.parse({ models: ['/srv/models/my-bge/'] }));

    expect(spec).to.include({ id: 'my-bge', name: '/srv/models/my-bge/' });
  });

  it('refuses an id served twice and names it', () => {
    const parsed = configSchema.safeParse({ models: ['all-MiniLM-L6-v2', { name: 'all-MiniLM-L6-v2', variant: 'int8' }] });

    expect(parsed.success).to.equal(false);
    expect(parsed.error!.issues.map((i) => i.message).join('\n')).to.contain('"all-MiniLM-L6-v2" is served twice');
  });

  it('reads EMBEDLINE_MODELS as a comma-separated list', () => {
    const config = loadConfig({ EMBEDLINE_MODELS: 'bge-small-en-v1.5, all-MiniLM-L6-v2' }, undefined, '/nonexistent');

    expect(servedModelSpecs(config).map((s) => s.id)).to.deep.equal(['bge-small-en-v1.5', 'all-MiniLM-L6-v2']);
  });

  it('takes the command line --model flags over the config list, checked the same way', () => {
    const config = configSchema.parse({ models: ['e5-small-v2'] });

    expect(servedModelSpecs(withModelFlags(config, ['bge-small-en-v1.5', 'all-MiniLM-L6-v2'])).map((s) => s.id)).to.deep.equal(['bge-small-en-v1.5', 'all-MiniLM-L6-v2']);
    expect(withModelFlags(config, [])).to.equal(config);
    expect(() => withModelFlags(config, ['a', 'a'])).to.throw(/served twice/);
  });
});
