import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { runtimeSearch } from '../../../adapters/http/searchLookup.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../../core/config/schema.js';
import { exposedSampleNames, metricNamesRead } from '../observability/support/metricNames.js';
import { pluginRegistries, type EmbedlineRuntime } from '../../../core/runtime.js';
import { startTestRuntime, testCacheDir } from '../../support/runtime.js';

const MODEL = 'all-MiniLM-L6-v2';
/** Real sentences on distinct subjects, so each one's nearest neighbour is itself and a paraphrase finds its original. */
const TEXTS = [
  'The cat sits on the mat by the fire.',
  'Stock markets fell sharply after the central bank raised interest rates.',
  'Photosynthesis converts sunlight, water and carbon dioxide into glucose and oxygen.',
  'The striker scored twice in the second half to win the cup final.',
  'Preheat the oven to 200 degrees and bake the bread for forty minutes.',
  'The Rust compiler rejects programs that could race on shared memory.',
  'Heavy snow closed the mountain pass for three days.',
  'The orchestra opened the concert with a Beethoven symphony.',
];
/** An exact-tier budget of about 24 texts (text and token keys, 1,700 bytes each): the eviction test overflows it. */
const EXACT_BYTES = 1_700 * 48;

interface SearchAnswer {
  object?: string;
  data: { object: string; id: string; text?: string; score: number }[];
  model: string;
  precision: string;
  error?: { code: string; message: string };
}

describe('POST /v1/search (cache plugin search tier, real model and FAISS)', function () {
  this.timeout(300_000);
  let runtime: EmbedlineRuntime;
  let app: FastifyInstance;
  let base: string;

  const post = async (path: string, body: unknown, on = base): Promise<{ status: number; body: SearchAnswer }> => {
    const response = await fetch(`${on}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as SearchAnswer };
  };
  const embed = async (input: readonly string[], precision?: string): Promise<number[][]> => {
    const { status, body } = await post('/v1/embeddings', { input, ...(precision ? { precision } : {}) });
    expect(status).to.equal(200);
    return (body as unknown as { data: { embedding: number[] }[] }).data.map((d) => d.embedding);
  };

  before(async () => {
    runtime = await startTestRuntime({
      plugins: ['precision', 'cache'],
      encoder: { workers: 1 },
      pluginOptions: {
        // Two float precisions of the fp32 model (no calibration needed): the format filter has two indexes to pick from.
        precision: { precisions: { fp32: { variant: 'fp32', format: 'float32' }, half: { variant: 'fp32', format: 'float16' } }, priorities: { critical: 'fp32', normal: 'fp32', background: 'fp32' }, shadow: { sampleRate: 0 } },
        cache: { exact: { maxBytes: EXACT_BYTES }, search: { enabled: true, storeTexts: true } },
      },
    });
    const config = configSchema.parse({ cacheDir: testCacheDir() });
    app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline, pluginRegistries: () => pluginRegistries(runtime), vectorSearch: runtimeSearch(MODEL, runtime) });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    await embed(TEXTS);
    await embed(TEXTS.slice(0, 3), 'half');
  });

  after(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('finds an embedded text first with score 1 when searched by its own text, and a paraphrase finds its original', async () => {
    const own = await post('/v1/search', { input: TEXTS[2], k: 3 });
    expect(own.status).to.equal(200);
    expect(own.body).to.include({ object: 'list', model: MODEL, precision: 'fp32' });
    expect(own.body.data).to.have.length(3);
    expect(own.body.data[0]!.text).to.equal(TEXTS[2]);
    expect(own.body.data[0]!.score).to.be.closeTo(1, 1e-5);
    expect(own.body.data[0]!.id).to.match(/^[0-9a-f]{32}$/);
    const scores = own.body.data.map((d) => d.score);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));

    const paraphrase = await post('/v1/search', { input: 'A kitten is lying on the rug near the fireplace.', k: 2 });
    expect(paraphrase.body.data[0]!.text).to.equal(TEXTS[0]);
    expect(paraphrase.body.data[0]!.score).to.be.within(0.5, 0.99);
    // The query was embedded, not stored: searching again does not find it.
    const again = await post('/v1/search', { input: 'A kitten is lying on the rug near the fireplace.', k: 10 });
    expect(again.body.data.map((d) => d.text)).not.to.include('A kitten is lying on the rug near the fireplace.');
    expect(again.body.data).to.have.length(TEXTS.length);
  });

  it('searches by vector (normalized first) and returns the same stable id as the text search', async () => {
    const [vector] = await embed([TEXTS[4]!]);
    const byVector = await post('/v1/search', { vector: vector!.map((x) => x * 3), k: 1 });
    const byText = await post('/v1/search', { input: TEXTS[4], k: 1 });
    expect(byVector.status).to.equal(200);
    expect(byVector.body.data[0]).to.deep.include({ text: TEXTS[4], id: byText.body.data[0]!.id });
    expect(byVector.body.data[0]!.score).to.be.closeTo(1, 1e-5);
  });

  it('filters by precision (variant and format) and answers an unknown model with 404', async () => {
    const half = await post('/v1/search', { input: TEXTS[5], k: 10, precision: 'half' });
    expect(half.status).to.equal(200);
    expect(half.body.precision).to.equal('half');
    expect(half.body.data.map((d) => d.text)).to.have.members(TEXTS.slice(0, 3));
    const unknownPrecision = await post('/v1/search', { input: 'x', precision: 'int3' });
    expect([unknownPrecision.status, unknownPrecision.body.error?.code]).to.deep.equal([400, 'EMBEDLINE_UNKNOWN_PRECISION']);
    const unknownModel = await post('/v1/search', { input: 'x', model: 'no-such-model' });
    expect([unknownModel.status, unknownModel.body.error?.code]).to.deep.equal([404, 'EMBEDLINE_MODEL_NOT_FOUND']);
  });

  it('answers bad bodies with typed 4xx naming the field', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ vector: [1, 2, 3] }, 422, /"vector" has 3 items; this model's vectors have 384/],
      [{ vector: new Array(384).fill(0) }, 422, /"vector" must hold finite numbers and not be all zeros/],
      [{ vector: [...new Array(383).fill(0.1), 'x'] }, 422, /"vector\[383\]" must be a finite number/],
      [{ input: 'a', vector: [1] }, 422, /exactly one of "input"/],
      [{}, 422, /exactly one of "input"/],
      [{ input: ['a', 'b'] }, 422, /"input" must be one string/],
      [{ input: 'a', k: 0 }, 422, /"k" must be an integer from 1 to 1000/],
      [{ input: 'a', k: 1.5 }, 422, /"k"/],
      [{ input: 'a', k: '3' }, 422, /"k"/],
      [[1, 2], 422, /must be a JSON object/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post('/v1/search', body);
      expect(answer.status, JSON.stringify(body).slice(0, 40)).to.equal(status);
      expect(answer.body.error?.message).to.match(message);
    }
  });

  it('forgets what the exact tier evicts', async () => {
    const [vector] = await embed([TEXTS[6]!]);
    expect((await post('/v1/search', { vector, k: 1 })).body.data[0]!.text).to.equal(TEXTS[6]);
    await embed(Array.from({ length: 40 }, (_, i) => `Filler sentence ${i}: the committee will meet again on day ${i + 1} of the month.`));
    const after = await post('/v1/search', { vector, k: 5 });
    expect(after.body.data.map((d) => d.text)).not.to.include(TEXTS[6]);
    const page = await (await fetch(`${base}/metrics`)).text();
    const entries = Number(/^embedline_cache_search_entries (\d+)/m.exec(page)?.[1]);
    expect(entries).to.be.within(1, 24);
    expect(page).to.match(/^embedline_cache_search_queries_total\{query="vector"\} \d+/m);
    const exposed = exposedSampleNames(page);
    expect(metricNamesRead().filter((name) => name.startsWith('embedline_cache_search_') && !exposed.has(name)), 'search metrics the dashboard reads').to.deep.equal([]);
  });

  it('without the search tier: 404 EMBEDLINE_NOT_ENABLED saying how to enable it', async () => {
    const plain = createHttpServer({ config: configSchema.parse({ cacheDir: testCacheDir() }), metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline });
    const plainBase = await plain.listen({ host: '127.0.0.1', port: 0 });
    try {
      const answer = await post('/v1/search', { input: 'x' }, plainBase);
      expect([answer.status, answer.body.error?.code]).to.deep.equal([404, 'EMBEDLINE_NOT_ENABLED']);
      expect(answer.body.error?.message).to.include('pluginOptions.cache.search.enabled: true');
    } finally {
      await plain.close();
    }
  });
});
