import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { configSchema } from '../../../core/config/schema.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { cosine } from '../../support/model.js';
import { startTestRuntime, testCacheDir } from '../../support/runtime.js';

describe('HTTP API on the real model', () => {
  let runtime: EmbedlineRuntime;
  let app: FastifyInstance;
  let base: string;
  const metrics = new PipelineMetrics({ defaultMetrics: false });

  before(async () => {
    runtime = await startTestRuntime({}, [observerModule(metrics)]);
    const config = configSchema.parse({ cacheDir: testCacheDir(), http: { maxInputs: 8, maxInputChars: 1000, bodyLimitBytes: 64 * 1024 } });
    app = createHttpServer({ config, metrics, pipeline: () => runtime.pipeline });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await app?.close();
    await runtime?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('returns OpenAI-shaped embeddings with usage for a list of strings', async () => {
    const response = await post('/v1/embeddings', { input: ['hello world', 'good morning'], model: 'all-MiniLM-L6-v2' });
    const body = (await response.json()) as { object: string; data: { index: number; embedding: number[] }[]; usage: { prompt_tokens: number; total_tokens: number } };

    expect(response.status).to.equal(200);
    expect(body.object).to.equal('list');
    expect(body.data.map((d) => d.index)).to.deep.equal([0, 1]);
    expect(body.data[0]!.embedding).to.have.length(384);
    expect(body.usage).to.deep.equal({ prompt_tokens: 8, total_tokens: 8 });
  });

  it('returns the same vector as base64 little-endian float32', async () => {
    const asFloat = (await (await post('/v1/embeddings', { input: 'base64 please' })).json()) as { data: { embedding: number[] }[] };
    const asBase64 = (await (await post('/v1/embeddings', { input: 'base64 please', encoding_format: 'base64' })).json()) as { data: { embedding: string }[] };

    const bytes = Buffer.from(asBase64.data[0]!.embedding, 'base64');
    const decoded = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(Array.from(decoded)).to.deep.equal(asFloat.data[0]!.embedding);
  });

  it('serves TEI-style /embed as an array of vectors', async () => {
    const response = await post('/embed', { inputs: ['one', 'two'] });
    const body = (await response.json()) as number[][];

    expect(response.status).to.equal(200);
    expect(body).to.have.length(2);
    expect(body[1]).to.have.length(384);
  });

  it('lists the served model at /v1/models', async () => {
    const body = (await (await fetch(`${base}/v1/models`)).json()) as { data: { id: string }[] };

    expect(body.data.map((m) => m.id)).to.deep.equal(['all-MiniLM-L6-v2']);
  });

  it('reports healthy once the model is loaded', async () => {
    const response = await fetch(`${base}/health`);

    expect(response.status).to.equal(200);
  });

  it('exposes request and batch metrics in Prometheus text format', async () => {
    await post('/v1/embeddings', { input: 'count me' });
    const text = await (await fetch(`${base}/metrics`)).text();

    expect(text).to.match(/embedline_requests_total\{model="all-MiniLM-L6-v2",priority="normal",outcome="ok"\} \d+/);
    expect(text).to.contain('embedline_batch_size_bucket');
    expect(text).to.contain('embedline_queue_depth');
  });

  interface ErrorCase {
    readonly what: string;
    readonly body: unknown;
    readonly status: number;
    readonly code: string;
    /** What the message must name: the offending field (or the body), and the limit where there is one. */
    readonly names: readonly string[];
  }
  const tooLarge = { status: 413, code: 'EMBEDLINE_INPUT_TOO_LARGE' } as const;
  const badInput = { status: 422, code: 'EMBEDLINE_BAD_INPUT' } as const;
  const errorCases: readonly ErrorCase[] = [
    { what: 'a token id cl100k_base lacks', body: { input: [[101, 100256]] }, ...badInput, names: ['"input[0][1]"', '100256', 'cl100k_base'] },
    { what: 'token ids mixed with strings', body: { input: ['text', [101, 102]] }, ...badInput, names: ['"input"', 'token ids', 'mixed'] },
    { what: 'a missing input', body: { model: 'all-MiniLM-L6-v2' }, ...badInput, names: ['"input"', 'required'] },
    { what: 'an empty input list', body: { input: [] }, ...badInput, names: ['"input"', 'empty'] },
    { what: 'a non-string item', body: { input: ['ok', { text: 'no' }] }, ...badInput, names: ['"input[1]"'] },
    { what: 'an unknown model', body: { input: 'x', model: 'gpt-4' }, status: 404, code: 'EMBEDLINE_MODEL_NOT_FOUND', names: ['model', '"gpt-4"', 'all-MiniLM-L6-v2'] },
    { what: 'an unsupported encoding_format', body: { input: 'x', encoding_format: 'int8' }, ...badInput, names: ['encoding_format', '"int8"'] },
    { what: 'a dimensions value the model lacks', body: { input: 'x', dimensions: 128 }, ...badInput, names: ['"dimensions"', '384'] },
    { what: 'an invalid priority', body: { input: 'x', priority: 'urgent' }, ...badInput, names: ['priority', '"urgent"'] },
    { what: 'too many inputs', body: { input: Array.from({ length: 9 }, () => 'x') }, ...tooLarge, names: ['"input"', 'at most 8'] },
    { what: 'an input over the character limit', body: { input: 'y'.repeat(1001) }, ...tooLarge, names: ['"input[0]"', '1000'] },
    { what: 'a body over the byte limit', body: { input: 'z'.repeat(80 * 1024) }, ...tooLarge, names: ['body', `${64 * 1024} bytes`] },
  ];
  for (const { what, body, status, code, names } of errorCases) {
    it(`answers ${status} ${code} naming the field for ${what}`, async () => {
      const response = await post('/v1/embeddings', body);
      const payload = (await response.json()) as { error: { message: string; type: string; code: string } };

      expect(response.status).to.equal(status);
      expect(payload.error.code).to.equal(code);
      expect(payload.error.type).to.equal('invalid_request_error');
      for (const fragment of names) expect(payload.error.message).to.contain(fragment);
    });
  }

  it('answers 400 EMBEDLINE_BAD_INPUT for malformed JSON, saying the body is not valid JSON', async () => {
    const response = await post('/v1/embeddings', '{"input": ');
    const payload = (await response.json()) as { error: { message: string; type: string; code: string } };

    expect(response.status).to.equal(400);
    expect(payload.error.code).to.equal('EMBEDLINE_BAD_INPUT');
    expect(payload.error.type).to.equal('invalid_request_error');
    expect(payload.error.message).to.match(/JSON/);
  });

  it('carries the X-Priority header to the pipeline', async () => {
    await post('/v1/embeddings', { input: 'critical text' }, { 'x-priority': 'critical' });
    const text = await (await fetch(`${base}/metrics`)).text();

    expect(text).to.match(/embedline_requests_total\{model="all-MiniLM-L6-v2",priority="critical",outcome="ok"\} [1-9]/);
  });

  it('works with the official openai client, whose vectors match the pipeline', async () => {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused' });

    const response = await client.embeddings.create({ model: 'all-MiniLM-L6-v2', input: ['The cat sits on the mat.', 'A feline rests on a rug.'] });
    const direct = await runtime.pipeline.embed(['The cat sits on the mat.']);

    expect(response.data).to.have.length(2);
    expect(cosine(Float32Array.from(response.data[0]!.embedding), direct.vectors[0]!.values)).to.be.at.least(0.99999);
    expect(response.usage.prompt_tokens).to.be.greaterThan(0);
  });
});

describe('HTTP API limits and auth', () => {
  let app: FastifyInstance;
  let base: string;

  afterEach(async () => app?.close());

  it('answers 503 with Retry-After on /v1/embeddings and /health while the model loads', async () => {
    const config = configSchema.parse({ cacheDir: testCacheDir() });
    app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => undefined });
    base = await app.listen({ host: '127.0.0.1', port: 0 });

    const embed = await fetch(`${base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":"x"}' });
    const health = await fetch(`${base}/health`);

    expect(embed.status).to.equal(503);
    expect(embed.headers.get('retry-after')).to.equal('2');
    expect(((await embed.json()) as { error: { code: string } }).error.code).to.equal('EMBEDLINE_NOT_READY');
    expect(health.status).to.equal(503);
  });

  it('answers 401 without the configured bearer token and lets /health through', async () => {
    const config = configSchema.parse({ cacheDir: testCacheDir(), http: { apiKey: 'sekret' } });
    app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => undefined });
    base = await app.listen({ host: '127.0.0.1', port: 0 });

    const denied = await fetch(`${base}/v1/models`);
    const wrong = await fetch(`${base}/v1/models`, { headers: { authorization: 'Bearer nope' } });
    const allowed = await fetch(`${base}/v1/models`, { headers: { authorization: 'Bearer sekret' } });
    const health = await fetch(`${base}/health`);

    expect(denied.status).to.equal(401);
    expect(((await denied.json()) as { error: { code: string; message: string } }).error).to.deep.include({ code: 'EMBEDLINE_UNAUTHORIZED' });
    expect(wrong.status).to.equal(401);
    expect(allowed.status).to.equal(200);
    expect(health.status).to.equal(503);
  });
});
