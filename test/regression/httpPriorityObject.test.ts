import { expect } from 'chai';
import { createHttpServer } from '../../adapters/http/createHttpServer.js';
import { priorityFrom } from '../../adapters/http/requestLimits.js';
import { PipelineMetrics } from '../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../core/config/schema.js';
import { EmbedlineError } from '../../core/errors.js';
import { startTestRuntime } from '../support/runtime.js';

// Found by `npm run fuzz` (HTTP case 7012, seed 20261202): a JSON object whose "toString" is not
// a function made String(value) throw a TypeError in the error message, answered as a 500.
describe('regression: a priority that String() cannot convert', () => {
  for (const priority of [{ toString: 1 }, { valueOf: {}, toString: null }, [{ toString: 1 }]]) {
    it(`rejects priority ${JSON.stringify(priority)} as EMBEDLINE_BAD_INPUT naming the field`, () => {
      const error = (() => {
        try {
          priorityFrom({ priority }, undefined);
        } catch (e) {
          return e;
        }
        return undefined;
      })();

      expect(error).to.be.instanceOf(EmbedlineError);
      expect((error as EmbedlineError).code).to.equal('EMBEDLINE_BAD_INPUT');
      expect((error as EmbedlineError).message).to.include('priority');
    });
  }

  it('answers 422 over HTTP, not 500', async function () {
    this.timeout(120_000);
    const runtime = await startTestRuntime();
    const config = configSchema.parse({});
    const app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => runtime.pipeline });
    try {
      const reply = await app.inject({ method: 'POST', url: '/embed', headers: { 'content-type': 'application/json' }, payload: '{"inputs":["x"],"priority":{"toString":1}}' });

      expect(reply.statusCode).to.equal(422);
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
