import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../../adapters/http/createHttpServer.js';
import { runtimeSearch } from '../../../adapters/http/searchLookup.js';
import { PipelineMetrics } from '../../../adapters/prometheus/PipelineMetrics.js';
import { observerModule } from '../../../adapters/prometheus/observerModule.js';
import { configSchema } from '../../../core/config/schema.js';
import type { EmbedlineRuntime } from '../../../core/runtime.js';
import { cosine } from '../../../core/vectorMath.js';
import { startTestRuntime, testCacheDir } from '../../support/runtime.js';
import { httpCase, type HttpFuzzLimits } from '../arbitraries/http.js';
import { runCases, type FuzzReport } from '../runCases.js';
import { HttpTarget } from './httpTarget.js';

export const HTTP_FUZZ_LIMITS: HttpFuzzLimits = { maxInputs: 16, maxInputChars: 2_000, bodyLimitBytes: 256 * 1024, apiKey: 'fuzz-api-key-7c1e', model: 'all-MiniLM-L6-v2' };

/** Sentences whose vectors are taken before the run and must come back the same after it. */
const CANARIES = ['The cat sits on the mat.', 'Embeddings turn text into vectors.', 'A quick brown fox jumps over the lazy dog.'];

export interface HttpFuzzServer {
  readonly base: URL;
  readonly runtime: EmbedlineRuntime;
  close(): Promise<void>;
}

/** The real HTTP server (Fastify on a socket, real model and inference workers) with the fuzz limits and an API key. */
export async function startHttpFuzzServer(): Promise<HttpFuzzServer> {
  const metrics = new PipelineMetrics({ defaultMetrics: false });
  // The cache with its search tier, so POST /v1/search reaches a real index (cached vectors are the model's, bit for bit).
  const runtime = await startTestRuntime({ plugins: ['cache'], pluginOptions: { cache: { search: { enabled: true, storeTexts: true } } } }, [observerModule(metrics)]);
  const { maxInputs, maxInputChars, bodyLimitBytes, apiKey } = HTTP_FUZZ_LIMITS;
  const config = configSchema.parse({ cacheDir: testCacheDir(), http: { maxInputs, maxInputChars, bodyLimitBytes, apiKey } });
  const app: FastifyInstance = createHttpServer({ config, metrics, pipeline: () => runtime.pipeline, vectorSearch: runtimeSearch(HTTP_FUZZ_LIMITS.model, runtime) });
  const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  return {
    base,
    runtime,
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}

/**
 * Fuzzes every route; every `checkEvery`-th valid request's vectors are compared with the
 * pipeline's own answer for the same texts, and the canaries are re-embedded over HTTP at the end.
 */
export async function fuzzHttp(server: HttpFuzzServer, options: { count: number; seed: number; concurrency: number; checkEvery: number }): Promise<FuzzReport & { canariesOk: boolean; checkedVectors: number }> {
  const target = new HttpTarget(server.base);
  const before = await server.runtime.pipeline.embed(CANARIES);
  let checkedVectors = 0;
  let validSeen = 0;
  try {
    const report = await runCases('http', httpCase(HTTP_FUZZ_LIMITS), options, async (c) => {
      const verdict = await target.run(c);
      if (verdict.problem || !c.valid || !verdict.vectors || validSeen++ % options.checkEvery !== 0) return verdict;
      const direct = await server.runtime.pipeline.embed(c.valid.texts);
      checkedVectors += direct.vectors.length;
      const worst = Math.min(...direct.vectors.map((v, i) => cosine(v.values, verdict.vectors![i]!)));
      return worst >= 0.9999 ? verdict : { outcome: verdict.outcome, problem: `HTTP vectors differ from the pipeline's (cosine ${worst})` };
    });
    const after = await new HttpTarget(server.base).run({ method: 'POST', path: '/v1/embeddings', query: '', headers: { 'content-type': 'application/json', authorization: `Bearer ${HTTP_FUZZ_LIMITS.apiKey}` }, body: JSON.stringify({ input: CANARIES }), valid: { route: 'openai', texts: CANARIES, format: 'float' } });
    const canariesOk = !after.problem && before.vectors.every((v, i) => cosine(v.values, after.vectors![i]!) >= 0.99999);
    return { ...report, canariesOk, checkedVectors };
  } finally {
    target.close();
  }
}
