import { createServer, request, type IncomingMessage } from 'node:http';

/** When the worker received each receipt handle, and each time it extended its visibility. */
export interface VisibilityLog {
  readonly receivedAt: Map<string, number>;
  readonly extendedAt: Map<string, number[]>;
}

/**
 * An HTTP proxy in front of ElasticMQ that the worker uses as its SQS endpoint, recording from
 * the AWS JSON protocol (`x-amz-target`) the receipt handles ReceiveMessage returned and every
 * ChangeMessageVisibilityBatch entry. From those, the heartbeat's punctuality: the interval
 * between a message's receive and its extensions, against the configured heartbeat.
 *
 * @example
 * const proxy = await startRecordingProxy(mq.endpoint);
 * // EMBEDLINE_SQS_ENDPOINT=proxy.endpoint for the worker
 * heartbeatIntervals(proxy.log); await proxy.stop();
 */
export async function startRecordingProxy(target: string): Promise<{ endpoint: string; log: VisibilityLog; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const log: VisibilityLog = { receivedAt: new Map(), extendedAt: new Map() };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const at = Date.now();
      if (operation === 'ChangeMessageVisibilityBatch') {
        const entries = parseJson<{ Entries?: { ReceiptHandle: string }[] }>(body)?.Entries ?? [];
        for (const e of entries) log.extendedAt.set(e.ReceiptHandle, [...(log.extendedAt.get(e.ReceiptHandle) ?? []), at]);
      }
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
        void readBody(up).then((reply) => {
          if (operation === 'ReceiveMessage' && up.statusCode === 200) {
            for (const m of parseJson<{ Messages?: { ReceiptHandle: string }[] }>(reply)?.Messages ?? []) log.receivedAt.set(m.ReceiptHandle, Date.now());
          }
          res.writeHead(up.statusCode ?? 502, up.headers).end(reply);
        });
      });
      forward.once('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, log, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

function parseJson<T>(body: Buffer): T | undefined {
  try {
    return JSON.parse(body.toString()) as T;
  } catch {
    return undefined; // not JSON (another protocol or an encoded body): nothing to record
  }
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Milliseconds between a message's receive and its first extension, and between extensions. */
export function heartbeatIntervals(log: VisibilityLog): number[] {
  const intervals: number[] = [];
  for (const [handle, times] of log.extendedAt) {
    const received = log.receivedAt.get(handle);
    const all = received === undefined ? times : [received, ...times];
    for (let i = 1; i < all.length; i++) intervals.push(all[i]! - all[i - 1]!);
  }
  return intervals;
}
