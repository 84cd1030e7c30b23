import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../../core/config/schema.js';
import { ModelRegistry } from '../../../core/models/ModelRegistry.js';
import { servedModelSpecs } from '../../../core/models/servedModels.js';
import { startEmbedline } from '../../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../../plugins/index.js';
import { promtool } from '../observability/support/promtool.js';
import { testCacheDir } from '../../support/runtime.js';
import { singleModelVectors, TEXTS, worstDiff } from './support/singleModelVectors.js';

const BGE = 'bge-small-en-v1.5';
const MINILM = 'all-MiniLM-L6-v2';

interface EmbeddingsBody {
  model: string;
  data: { embedding: number[] }[];
  error?: { code: string; message: string };
}

/**
 * Several models in one HTTP server, in process: bge-small-en-v1.5 (first, so the default) and
 * all-MiniLM-L6-v2 loaded at start, MiniLM's int8 graph under its own id loaded on its first
 * request, and a lazy model whose directory does not exist. slo-tracker is on, so every model's
 * container registers the same plugin metrics.
 */
describe('several models over HTTP (in process, real models)', function () {
  this.timeout(600_000);
  const starts: string[] = [];
  let models: ModelRegistry;
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    const config = Object.freeze(
      configSchema.parse({
        cacheDir: testCacheDir(),
        encoder: { workers: 1, intraOpThreads: 1 },
        plugins: ['slo-tracker'],
        models: [BGE, MINILM, { id: 'minilm-int8', name: MINILM, variant: 'int8', lazy: true }, { id: 'missing', name: '/nonexistent/embedline-model', lazy: true }],
      }),
    );
    const metrics = new PipelineMetrics({ defaultMetrics: false });
    models = new ModelRegistry(servedModelSpecs(config), (spec) => {
      starts.push(spec.id);
      return startEmbedline(spec.config, PLUGIN_CATALOGUE, [observerModule(metrics.forModel(spec.id))]);
    });
    await models.start();
    app = createHttpServer({ config, metrics, models });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await app?.close();
    await models?.close();
  });

  const post = async (path: string, body: unknown): Promise<{ status: number; body: EmbeddingsBody; headers: Headers }> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as EmbeddingsBody, headers: response.headers };
  };
  const vectorsOf = (body: EmbeddingsBody) => body.data.map((d) => d.embedding);

  it('routes by the request\'s model: each model answers with the vectors it gives when served alone', async () => {
    const [bge, minilm] = await Promise.all([post('/v1/embeddings', { input: TEXTS, model: BGE }), post('/v1/embeddings', { input: TEXTS, model: MINILM })]);

    expect(bge.status).to.equal(200);
    expect(bge.body.model).to.equal(BGE);
    expect(worstDiff(vectorsOf(bge.body), await singleModelVectors(BGE))).to.be.at.most(1e-5);
    expect(minilm.body.model).to.equal(MINILM);
    expect(worstDiff(vectorsOf(minilm.body), await singleModelVectors(MINILM))).to.be.at.most(1e-5);
    expect(worstDiff(vectorsOf(bge.body), await singleModelVectors(MINILM))).to.be.above(0.01);
  });

  it('serves the first configured model to a request that names none, on /v1/embeddings and TEI\'s /embed', async () => {
    const openai = await post('/v1/embeddings', { input: TEXTS });
    const tei = await fetch(`${base}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: TEXTS }) });
    const teiMinilm = await fetch(`${base}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: TEXTS, model: MINILM }) });

    expect(openai.body.model).to.equal(BGE);
    expect(worstDiff(vectorsOf(openai.body), await singleModelVectors(BGE))).to.be.at.most(1e-5);
    expect(worstDiff((await tei.json()) as number[][], await singleModelVectors(BGE))).to.be.at.most(1e-5);
    expect(worstDiff((await teiMinilm.json()) as number[][], await singleModelVectors(MINILM))).to.be.at.most(1e-5);
  });

  it('applies bge\'s query prompt for input_type query and prompt_name query, as the model served alone does', async () => {
    const reference = await singleModelVectors(BGE, { prompt: { inputType: 'query' } });
    const byType = await post('/v1/embeddings', { input: TEXTS, model: BGE, input_type: 'query' });
    const byName = await post('/v1/embeddings', { input: TEXTS, model: BGE, prompt_name: 'query' });
    const tei = await fetch(`${base}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: TEXTS, prompt_name: 'query' }) });

    expect(worstDiff(vectorsOf(byType.body), reference)).to.be.at.most(1e-5);
    expect(worstDiff(vectorsOf(byName.body), reference)).to.be.at.most(1e-5);
    expect(worstDiff((await tei.json()) as number[][], reference)).to.be.at.most(1e-5);
    expect(worstDiff(vectorsOf(byType.body), await singleModelVectors(BGE))).to.be.above(1e-3);
  });

  it('answers typed 4xx for an unknown model (naming the served ones) and bad prompt fields', async () => {
    const unknown = await post('/v1/embeddings', { input: 'x', model: 'gpt-4' });
    const badType = await post('/v1/embeddings', { input: 'x', input_type: 'passage' });
    const badName = await post('/v1/embeddings', { input: 'x', prompt_name: 7 });
    const noSuchPrompt = await post('/v1/embeddings', { input: 'x', model: MINILM, prompt_name: 'query' });

    expect(unknown.status).to.equal(404);
    expect(unknown.body.error!.code).to.equal('EMBEDLINE_MODEL_NOT_FOUND');
    for (const id of [BGE, MINILM, 'minilm-int8']) expect(unknown.body.error!.message).to.contain(`"${id}"`);
    expect([badType.status, badType.body.error!.code]).to.deep.equal([422, 'EMBEDLINE_BAD_INPUT']);
    expect(badType.body.error!.message).to.contain('input_type');
    expect([badName.status, badName.body.error!.code]).to.deep.equal([422, 'EMBEDLINE_BAD_INPUT']);
    expect([noSuchPrompt.status, noSuchPrompt.body.error!.code]).to.deep.equal([422, 'EMBEDLINE_BAD_INPUT']);
  });

  it('loads a lazy model once on concurrent first requests, serving its own variant', async () => {
    expect(starts.filter((id) => id === 'minilm-int8')).to.deep.equal([]);

    const [a, b] = await Promise.all([post('/v1/embeddings', { input: TEXTS, model: 'minilm-int8' }), post('/v1/embeddings', { input: TEXTS, model: 'minilm-int8' })]);

    expect([a.status, b.status]).to.deep.equal([200, 200]);
    expect(starts.filter((id) => id === 'minilm-int8')).to.deep.equal(['minilm-int8']);
    expect(a.headers.get('x-embedline-model-variant')).to.equal('int8');
    expect(worstDiff(vectorsOf(a.body), await singleModelVectors(MINILM, { variant: 'int8' }))).to.be.at.most(1e-5);
  });

  it('answers 503 with Retry-After for a lazy model that cannot load, reports it on /health, and tries again on the next request', async () => {
    const first = await post('/v1/embeddings', { input: 'x', model: 'missing' });
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string; models: { id: string; state: string; error?: { code: string } }[] };
    const second = await post('/v1/embeddings', { input: 'x', model: 'missing' });
    const others = await post('/v1/embeddings', { input: 'x', model: MINILM });

    expect(first.status).to.equal(503);
    expect(first.headers.get('retry-after')).to.match(/^\d+$/);
    expect(first.body.error!.code).to.equal('EMBEDLINE_NOT_READY');
    expect(first.body.error!.message).to.contain('"missing" failed to load');
    expect(health.status).to.equal('ok');
    expect(health.models.find((m) => m.id === 'missing')).to.deep.include({ state: 'failed' });
    expect(health.models.find((m) => m.id === BGE)).to.deep.include({ state: 'loaded' });
    expect(second.status).to.equal(503);
    expect(starts.filter((id) => id === 'missing')).to.have.length(2);
    expect(others.status).to.equal(200);
  });

  it('lists every served model at /v1/models with dimensions, max length, precisions, pooling, prompts and state', async () => {
    const { data } = (await (await fetch(`${base}/v1/models`)).json()) as { data: Record<string, unknown>[] };
    const byId = new Map(data.map((m) => [m.id as string, m]));

    expect(data.map((m) => m.id)).to.deep.equal([BGE, MINILM, 'minilm-int8', 'missing']);
    expect(byId.get(BGE)).to.deep.include({ object: 'model', state: 'loaded', lazy: false, dimensions: 384, max_tokens: 512, precisions: ['fp32'], pooling: { mode: 'cls', normalize: true } });
    expect(byId.get(BGE)!.prompts).to.have.property('query').that.is.a('string');
    expect(byId.get(MINILM)).to.deep.include({ state: 'loaded', dimensions: 384, max_tokens: 256, pooling: { mode: 'mean', normalize: true }, prompts: {} });
    expect(byId.get('minilm-int8')).to.deep.include({ name: MINILM, variant: 'int8', lazy: true, state: 'loaded' });
    expect(byId.get('missing')).to.deep.include({ lazy: true, state: 'failed' });
    expect(byId.get(BGE)!.memory_bytes).to.be.a('number').above(30_000_000);
  });

  it('serves /v1/models/{id}/quantization per model: unknown ids 404, an uncalibrated model names itself', async () => {
    const unknown = await fetch(`${base}/v1/models/gpt-4/quantization`);
    const minilmInt8 = await fetch(`${base}/v1/models/minilm-int8/quantization`);

    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as EmbeddingsBody).error!.code).to.equal('EMBEDLINE_MODEL_NOT_FOUND');
    // Calibrated or not, the answer is about that model's own directory.
    const body = (await minilmInt8.json()) as { object?: string; error?: { code: string; message: string } };
    if (minilmInt8.status === 200) expect(body.object).to.equal('quantization');
    else expect([body.error!.code, body.error!.message.startsWith('minilm-int8 ')]).to.deep.equal(['EMBEDLINE_NOT_CALIBRATED', true]);
  });

  it('serves one valid /metrics page with every model\'s pipeline and plugin metrics labelled by model', async () => {
    const page = await (await fetch(`${base}/metrics`)).text();
    const checked = await promtool(['check', 'metrics'], { stdin: page });

    expect(checked.code, checked.output).to.equal(0);
    expect(page).to.match(new RegExp(`^embedline_requests_total\\{model="${BGE}",priority="normal",outcome="ok"\\} [1-9]`, 'm'));
    expect(page).to.match(new RegExp(`^embedline_requests_total\\{model="${MINILM}",priority="normal",outcome="ok"\\} [1-9]`, 'm'));
    expect(page).to.match(/^embedline_slo_requests_total\{model="minilm-int8",slo="availability",priority="normal",result="good"\} 2$/m);
    expect(page.match(/^# TYPE embedline_slo_requests_total /gm)).to.have.length(1);
    expect(page).to.match(new RegExp(`^embedline_model_memory_bytes\\{model="${BGE}"\\} \\d+`, 'm'));
    expect(page).to.match(/^embedline_model_loaded\{model="missing",state="failed"\} 0$/m);
  });
});
