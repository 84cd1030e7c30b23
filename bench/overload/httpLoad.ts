import { Agent, request } from 'node:http';

/** One request as the client saw it. */
export interface RequestRecord {
  /** Epoch ms the request was sent. */
  readonly sentAt: number;
  /** HTTP status; 0 when the client aborted it at its hard limit or the connection failed. */
  readonly status: number;
  readonly latencyMs: number;
  /** Seconds from the Retry-After header of a 429 or 503. */
  readonly retryAfterSec?: number;
  /** True for a retry the client sent after a 429's Retry-After. */
  readonly retry: boolean;
}

/**
 * A keep-alive HTTP client for POST /v1/embeddings with one socket per outstanding request, so
 * the server (not the client's pool) decides what waits. Each request is given up at `hardLimitMs`.
 */
export class EmbeddingClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(url: string, maxSockets: number, private readonly hardLimitMs: number) {
    const { hostname, port } = new URL(url);
    this.host = hostname;
    this.port = Number(port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(body: string, retry = false): Promise<RequestRecord> {
    const sentAt = Date.now();
    const t0 = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const done = (status: number, retryAfterSec?: number): void => {
        if (settled) return;
        settled = true;
        resolve({ sentAt, status, latencyMs: performance.now() - t0, retryAfterSec, retry });
      };
      const req = request(
        { agent: this.agent, host: this.host, port: this.port, method: 'POST', path: '/v1/embeddings', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: this.hardLimitMs },
        (res) => {
          const header = res.headers['retry-after'];
          const retryAfterSec = header === undefined ? undefined : Number(header);
          res.resume(); // the vectors are not needed, only the time the whole body took
          res.once('end', () => done(res.statusCode ?? 0, retryAfterSec));
          res.once('error', () => done(0));
        },
      );
      req.once('timeout', () => req.destroy(new Error('hard limit')));
      req.once('error', () => done(0));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Request bodies: one long paragraph per request, cycled. */
export function singleTextBodies(texts: readonly string[]): string[] {
  return texts.map((text) => JSON.stringify({ input: text }));
}

/**
 * Closed loop: `connections` clients, each sending its next request when the last one finished,
 * for `durationMs`. The saturation throughput of the server is what this measures.
 */
export async function closedLoop(client: EmbeddingClient, bodies: readonly string[], connections: number, durationMs: number): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  const until = Date.now() + durationMs;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (Date.now() < until) records.push(await client.send(bodies[next++ % bodies.length]!));
  };
  await Promise.all(Array.from({ length: connections }, lane));
  return records;
}

export interface OpenLoopOptions {
  /** Arrivals per second, whatever the server does. */
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** Outstanding requests at most; an arrival beyond it is dropped by the client and counted. */
  readonly maxOutstanding: number;
  /** Every n-th 429 is retried once after its Retry-After (0: none). */
  readonly retryEvery: number;
}

export interface OpenLoopResult {
  readonly records: RequestRecord[];
  /** Arrivals the client did not send because `maxOutstanding` were out. */
  readonly droppedAtCap: number;
  /** Retries not sent because the cap was full when their Retry-After had passed. */
  readonly retriesDroppedAtCap: number;
  readonly sent: number;
  /** Epoch ms of the last arrival: the moment the load drops. */
  readonly endedAt: number;
  /** Resolves when every request sent (retries included) has finished. */
  readonly settled: Promise<void>;
}

/**
 * Open-loop arrivals at a fixed rate (a 1 ms tick sends whatever is due), bounded by
 * `maxOutstanding`. Resolves when the arrivals stop; `settled` when the last response is in.
 */
export async function openLoop(client: EmbeddingClient, bodies: readonly string[], options: OpenLoopOptions): Promise<OpenLoopResult> {
  const records: RequestRecord[] = [];
  const pending = new Set<Promise<void>>();
  let outstanding = 0;
  let droppedAtCap = 0;
  let retriesDroppedAtCap = 0;
  let sent = 0;
  let refused = 0;
  let next = 0;
  const fire = (body: string, retry: boolean): void => {
    outstanding++;
    sent++;
    const p = client.send(body, retry).then((record) => {
      outstanding--;
      records.push(record);
      if (record.status === 429 && !retry && options.retryEvery > 0 && ++refused % options.retryEvery === 0) scheduleRetry(body, record.retryAfterSec ?? 1);
    });
    track(p);
  };
  const track = (p: Promise<void>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const scheduleRetry = (body: string, afterSec: number): void => {
    track(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          if (outstanding >= options.maxOutstanding) retriesDroppedAtCap++;
          else fire(body, true);
          resolve();
        }, afterSec * 1000),
      ),
    );
  };
  const start = Date.now();
  const total = Math.round((options.ratePerSec * options.durationMs) / 1000);
  let arrivals = 0;
  while (arrivals < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) * options.ratePerSec) / 1000));
    for (; arrivals < due; arrivals++) {
      if (outstanding >= options.maxOutstanding) droppedAtCap++;
      else fire(bodies[next++ % bodies.length]!, false);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const endedAt = Date.now();
  const settled = (async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  })();
  return {
    records,
    get droppedAtCap() {
      return droppedAtCap;
    },
    get retriesDroppedAtCap() {
      return retriesDroppedAtCap;
    },
    get sent() {
      return sent;
    },
    endedAt,
    settled,
  } as OpenLoopResult;
}
