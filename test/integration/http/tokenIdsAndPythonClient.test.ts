import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { Tiktoken as TiktokenType } from 'js-tiktoken/lite';
import { configSchema } from '../../../core/config/schema.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { LONG_TEXTS, VARIED_SENTENCES } from '../../fixtures/sentences.js';
import { startTestRuntime, testCacheDir } from '../../support/runtime.js';

const require = createRequire(import.meta.url);
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: typeof TiktokenType };
/** What LangChain's OpenAIEmbeddings (Python, default settings) computes before it sends: cl100k_base ids. */
const cl100k = new Tiktoken(require('js-tiktoken/ranks/cl100k_base'));
const INSTALL_SCRIPT = fileURLToPath(new URL('../../../../scripts/python-clients/python-clients.sh', import.meta.url));
const PYTHON_CLIENT = fileURLToPath(new URL('../../../../test/interop/openai_python_client.py', import.meta.url));

/** Fixture texts a client can send as UTF-8 (no lone surrogates) and tiktoken can encode (no special tokens). */
const TEXTS = VARIED_SENTENCES.filter((text) => !/\p{Cs}/u.test(text) && !text.includes('<|')).slice(0, 60).concat(LONG_TEXTS);

describe('token-id inputs and the Python openai client, on the real model', function () {
  this.timeout(300_000);
  let runtime: EmbedlineRuntime;
  let app: FastifyInstance;
  let base: string;
  let python: string;

  before(async () => {
    const install = promisify(execFile)('bash', [INSTALL_SCRIPT, 'install'], { timeout: 240_000 });
    runtime = await startTestRuntime();
    const config = configSchema.parse({ cacheDir: testCacheDir() });
    app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    python = (await install).stdout.trim().split('\n').pop()!;
  });

  after(async () => {
    await app?.close();
    await runtime?.close();
  });

  async function embeddings(body: unknown): Promise<{ vectors: number[][]; promptTokens: number }> {
    const response = await fetch(`${base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).to.equal(200);
    const json = (await response.json()) as { data: { embedding: number[] }[]; usage: { prompt_tokens: number } };
    return { vectors: json.data.map((d) => d.embedding), promptTokens: json.usage.prompt_tokens };
  }

  function pythonClient(inputs: unknown): Promise<{ vectors: number[][]; prompt_tokens: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, [PYTHON_CLIENT], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { vectors: number[][]; prompt_tokens: number }) : reject(new Error(`python client exited ${code}: ${err}`))));
      child.stdin.end(JSON.stringify({ base_url: `${base}/v1`, model: 'all-MiniLM-L6-v2', inputs }));
    });
  }

  it('embeds cl100k_base token ids exactly as the texts they encode (re-tokenized by the model)', async () => {
    const fromTexts = await embeddings({ input: TEXTS });
    const fromIds = await embeddings({ input: TEXTS.map((text) => cl100k.encode(text)) });
    expect(fromIds.vectors).to.deep.equal(fromTexts.vectors);
    // usage counts the model's word pieces, not the client's tiktoken ids.
    expect(fromIds.promptTokens).to.equal(fromTexts.promptTokens);
  });

  it('takes one flat id array as one input on /v1/embeddings and token-id lists on TEI /embed', async () => {
    const text = LONG_TEXTS[0]!;
    const [fromText] = (await embeddings({ input: text })).vectors;
    expect((await embeddings({ input: cl100k.encode(text) })).vectors).to.deep.equal([fromText]);
    const tei = await fetch(`${base}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [cl100k.encode(text)] }) });
    expect(tei.status).to.equal(200);
    expect(await tei.json()).to.deep.equal([fromText]);
  });

  it('answers an id cl100k_base lacks with a 422 naming where it is', async () => {
    const response = await fetch(`${base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: [[9906, 100_256]] }) });
    expect(response.status).to.equal(422);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).to.equal('EMBEDLINE_BAD_INPUT');
    expect(error.message).to.include('"input[0][1]"').and.include('100256');
  });

  it('serves the Python openai client on its default base64 path, texts and token ids alike', async () => {
    const texts = TEXTS.slice(0, 20);
    const floats = (await embeddings({ input: texts })).vectors;
    const viaTexts = await pythonClient(texts);
    const viaIds = await pythonClient(texts.map((text) => cl100k.encode(text)));
    // base64 carries the float32 bits; Python turns them into doubles, exactly the same values.
    expect(viaTexts.vectors).to.deep.equal(floats);
    expect(viaIds.vectors).to.deep.equal(floats);
    expect(viaIds.prompt_tokens).to.equal(viaTexts.prompt_tokens);
  });
});
