import { expect } from 'chai';
import { Agent, request } from 'node:http';
import { startServe, type ServeProcess } from '../faults/support/serveProcess.js';

interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: string;
}

/** One POST /v1/embeddings on the given agent (its pooled socket stays open afterwards). */
function embedOn(agent: Agent, url: string, input: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/embeddings`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ input }));
  });
}

/**
 * Regression: a keep-alive connection that carried a request when the drain began stayed open
 * after its response (kept alive, then idle) until Fastify's keepAliveTimeout (72 s), past the
 * 30 s grace, so SIGTERM ended in exit 1 "work unfinished" although everything had been answered.
 * The second case failed before the fix; the first guards the already idle sockets.
 */
describe('embedline serve: SIGTERM with keep-alive clients', function () {
  this.timeout(180_000);
  let server: ServeProcess | undefined;
  afterEach(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('an idle pooled connection does not hold the exit: the server exits 0 within seconds', async () => {
    server = await startServe({ EMBEDLINE_LOG_LEVEL: 'warn' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await embedOn(agent, server.url, 'a pooled connection');
      expect(first.status).to.equal(200);
      expect(first.connection, 'kept alive before the drain').to.not.equal('close');
      const sentAt = Date.now();
      server.child.kill('SIGTERM');
      const exit = await server.exited;
      expect(exit, server.stderr()).to.equal(0);
      expect(Date.now() - sentAt, 'well inside the 30 s grace').to.be.below(10_000);
    } finally {
      agent.destroy();
    }
  });

  it('a request in flight when the drain starts gets its vectors with Connection: close, then the server exits 0', async () => {
    server = await startServe({ EMBEDLINE_LOG_LEVEL: 'warn' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Long enough to be still encoding when SIGTERM arrives.
      const long = Array.from({ length: 64 }, (_, i) => `paragraph ${i} about packages, libraries and the tools that build them`).join(' ');
      const inFlight = embedOn(agent, server.url, long);
      await new Promise((r) => setTimeout(r, 20));
      server.child.kill('SIGTERM');
      const answer = await inFlight;
      if (answer.status === 200) {
        expect(answer.connection, 'told to close the pooled socket').to.equal('close');
        expect((JSON.parse(answer.body) as { data: unknown[] }).data).to.have.length(1);
      } else {
        // Arrived after the drain began: the typed refusal, never a dropped connection.
        expect([answer.status, (JSON.parse(answer.body) as { error: { code: string } }).error.code]).to.deep.equal([503, 'EMBEDLINE_SHUTTING_DOWN']);
      }
      expect(await server.exited, server.stderr()).to.equal(0);
    } finally {
      agent.destroy();
    }
  });
});
