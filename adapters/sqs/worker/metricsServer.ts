import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from '../../../core/ports/MetricsRegistry.js';

export type WorkerHealth = 'starting' | 'ready' | 'stopping';

export interface MetricsServer {
  readonly port: number;
  setHealth(health: WorkerHealth): void;
  close(): Promise<void>;
}

/**
 * A small HTTP endpoint for the worker, which has no API of its own: `/metrics` (every registry,
 * read at scrape time) and `/health` (200 once ready, 503 while starting or stopping).
 *
 * @example
 * const server = await startMetricsServer('0.0.0.0', 9400, () => [workerMetrics.registry, pipelineMetrics.registry]);
 * server.setHealth('ready');
 */
export async function startMetricsServer(host: string, port: number, registries: (() => readonly MetricsRegistry[]) | (() => Promise<string>), contentType = 'text/plain; version=0.0.4; charset=utf-8'): Promise<MetricsServer> {
  let health: WorkerHealth = 'starting';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(health === 'ready' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: health }));
      return;
    }
    if (request.method === 'GET' && path === '/metrics') {
      // Either the registries to concatenate or the whole page (several models: see metricsPage).
      Promise.resolve()
        .then(async () => {
          const source = registries();
          if (!Array.isArray(source)) return { type: contentType, text: await (source as Promise<string>) };
          const all = source as readonly MetricsRegistry[];
          return { type: all[0]?.contentType ?? contentType, text: (await Promise.all(all.map((r) => r.metrics()))).join('\n') };
        })
        .then(({ type, text }) => response.writeHead(200, { 'content-type': type }).end(text))
        .catch((error: unknown) => response.writeHead(500).end(String(error)));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics and /health\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setHealth: (next) => void (health = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // scrapers keep connections alive; do not wait for them
      }),
  };
}
