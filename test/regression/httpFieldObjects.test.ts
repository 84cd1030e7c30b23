import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../adapters/http/createHttpServer.js';
import { PipelineMetrics } from '../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../core/config/schema.js';
import type { EmbedlineRuntime } from '../../core/runtime.js';
import { startTestRuntime } from '../support/runtime.js';

// Reported by the fuzz helper for seed 20261202 (not hit by the fixed-seed slice): an
// encoding_format or model that is a JSON object whose "toString" is not a function made
// String(value) throw inside the error message, answered as a 500.
describe('regression: encoding_format and model values that String() cannot convert', function () {
  this.timeout(120_000);
  let runtime: EmbedlineRuntime;
  let app: FastifyInstance;
  before(async () => {
    runtime = await startTestRuntime();
    app = createHttpServer({ config: configSchema.parse({}), metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline });
  });
  after(async () => {
    await app.close();
    await runtime.close();
  });

  const cases = [
    { field: 'encoding_format', body: { input: ['x'], encoding_format: { toString: 1 } }, status: 422, code: 'EMBEDLINE_BAD_INPUT' },
    { field: 'model', body: { input: ['x'], model: { toString: 1 } }, status: 404, code: 'EMBEDLINE_MODEL_NOT_FOUND' },
    { field: 'model', body: { input: ['x'], model: [{ valueOf: {}, toString: null }] }, status: 404, code: 'EMBEDLINE_MODEL_NOT_FOUND' },
  ];
  for (const { field, body, status, code } of cases) {
    it(`answers ${status} ${code} for ${field} ${JSON.stringify(body[field as keyof typeof body])}, showing the value as JSON`, async () => {
      const reply = await app.inject({ method: 'POST', url: '/v1/embeddings', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

      expect(reply.statusCode).to.equal(status);
      const error = (reply.json() as { error: { code: string; message: string } }).error;
      expect(error.code).to.equal(code);
      expect(error.message).to.include(JSON.stringify(body[field as keyof typeof body]).slice(0, 20));
    });
  }
});
