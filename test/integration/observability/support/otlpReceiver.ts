import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an OTLP/HTTP exporter sent: one entry per POST. */
export interface OtlpReceiver {
  readonly tracesUrl: string;
  readonly bodies: readonly string[];
  close(): Promise<void>;
}

/**
 * Stands in for an OpenTelemetry Collector (none can be installed here): accepts OTLP/HTTP JSON
 * on `/v1/traces`, answers 200 and keeps the bodies, so a test can see what the exporter sent.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces') bodies.push(body);
      response.writeHead(request.url === '/v1/traces' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
