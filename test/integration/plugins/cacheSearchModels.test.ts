import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../../core/config/schema.js';
import { ModelRegistry } from '../../../core/models/ModelRegistry.js';
import { servedModelSpecs } from '../../../core/models/servedModels.js';
import { startEmbedline } from '../../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { testCacheDir } from '../../support/runtime.js';

const MINILM = 'all-MiniLM-L6-v2';
const TEXTS = ['The cat sits on the mat by the fire.', 'Heavy snow closed the mountain pass for three days.', 'The orchestra opened the concert with a Beethoven symphony.'];

interface SearchAnswer {
  data: { id: string; text?: string; score: number }[];
  model: string;
  error?: { code: string };
}

/** POST /v1/search over a ModelRegistry (what `embedline serve` builds): each served model searches its own runtime's index. */
describe('POST /v1/search with several served models (real model, cache search tier)', function () {
  this.timeout(600_000);
  let models: ModelRegistry;
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    const config = Object.freeze(
      configSchema.parse({
        cacheDir: testCacheDir(),
        encoder: { workers: 1, intraOpThreads: 1 },
        plugins: ['cache'],
        pluginOptions: { cache: { search: { enabled: true, storeTexts: true } } },
        models: [MINILM, { id: 'minilm-int8', name: MINILM, variant: 'int8' }],
      }),
    );
    models = new ModelRegistry(servedModelSpecs(config), (spec) => startEmbedline(spec.config, PLUGIN_CATALOGUE));
    await models.start();
    app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), models });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await app?.close();
    await models?.close();
  });

  const post = async (path: string, body: unknown): Promise<{ status: number; body: SearchAnswer }> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as SearchAnswer };
  };

  it('finds texts in the model they were embedded with, not in another served model, and 404s an unknown one', async () => {
    expect((await post('/v1/embeddings', { input: TEXTS, model: MINILM })).status).to.equal(200);

    const own = await post('/v1/search', { input: TEXTS[1], k: 5 });
    expect(own.status).to.equal(200);
    expect(own.body.model).to.equal(MINILM);
    expect(own.body.data.map((d) => d.text)).to.have.members(TEXTS);
    expect(own.body.data[0]).to.deep.include({ text: TEXTS[1] });
    expect(own.body.data[0]!.score).to.be.closeTo(1, 1e-5);

    const other = await post('/v1/search', { input: TEXTS[1], k: 5, model: 'minilm-int8' });
    expect([other.status, other.body.model, other.body.data]).to.deep.equal([200, 'minilm-int8', []]);

    const unknown = await post('/v1/search', { input: TEXTS[1], model: 'nope' });
    expect([unknown.status, unknown.body.error?.code]).to.deep.equal([404, 'EMBEDLINE_MODEL_NOT_FOUND']);
  });
});
