import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPut {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * An HTTP endpoint that accepts S3 PutObject requests (path-style) and records them, because no
 * S3-compatible server runs here. Only PUT is answered; it checks what the real AWS SDK sends.
 *
 * @example
 * const s3 = await S3PutRecorder.start();
 * const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials });
 */
export class S3PutRecorder {
  readonly puts: RecordedPut[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<S3PutRecorder> {
    let recorder!: S3PutRecorder;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        if (request.method !== 'PUT') return void response.writeHead(405).end();
        recorder.puts.push({ path: decodeURIComponent((request.url ?? '').split('?')[0]!), headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(200, { etag: '"recorded"' }).end();
      });
    });
    recorder = new S3PutRecorder(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
