import { expect } from 'chai';
import fc from 'fast-check';
import { bearerMatches, createHttpServer } from '../../../../adapters/http/createHttpServer.js';
import { PipelineMetrics } from '../../../../adapters/prometheus/PipelineMetrics.js';
import { configSchema } from '../../../../core/config/schema.js';

const KEY = 'k3y-for-auth-tests-0123456789';

describe('HTTP API key check', () => {
  it('accepts exactly "Bearer <key>", with the scheme in any case', () => {
    expect(bearerMatches(`Bearer ${KEY}`, KEY)).to.equal(true);
    expect(bearerMatches(`bearer ${KEY}`, KEY)).to.equal(true);
  });

  it('rejects a missing header, an empty token, another scheme, and keys one character short, long or off', () => {
    const wrong = [undefined, '', 'Bearer', 'Bearer ', `Basic ${KEY}`, `Bearer ${KEY.slice(1)}`, `Bearer ${KEY}x`, `Bearer  ${KEY}`, `Bearer ${KEY.slice(0, -1)}X`, `Bearer ${KEY.toUpperCase()}`];

    expect(wrong.map((header) => bearerMatches(header, KEY))).to.deep.equal(wrong.map(() => false));
  });

  // A plain timingSafeEqual throws on buffers of different lengths, and a guard before it returns
  // early; comparing digests makes every length take the same path.
  it('compares tokens of every length without throwing, and matches only the key itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (token) => {
        expect(bearerMatches(`Bearer ${token}`, KEY)).to.equal(token === KEY);
      }),
      { seed: 11, numRuns: 2_000 },
    );
  });

  it('answers 401 with a typed error for a wrong key and lets the right key through to the route', async () => {
    const config = configSchema.parse({ http: { apiKey: KEY } });
    const app = createHttpServer({ config, metrics: new PipelineMetrics({ defaultMetrics: false }), pipeline: () => undefined });
    try {
      const wrong = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${KEY}!` } });
      const right = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${KEY}` } });
      const open = await app.inject({ method: 'GET', url: '/health' });

      expect([wrong.statusCode, wrong.json<{ error: { code: string } }>().error.code]).to.deep.equal([401, 'EMBEDLINE_UNAUTHORIZED']);
      expect(right.statusCode).to.equal(200);
      expect(open.statusCode).to.equal(503);
    } finally {
      await app.close();
    }
  });
});
