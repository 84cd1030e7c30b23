import { crashTrigger } from '../support/crashTrigger.js';
import type { FaultTally } from '../support/faultTally.js';
import { startServe } from '../support/serveProcess.js';

/** What one HTTP request got. */
export interface RequestOutcome {
  readonly status: number;
  /** Vectors in a 200 answer (must equal the inputs sent). */
  readonly vectors: number;
  readonly inputs: number;
  /** `error.code` of a non-200 answer. */
  readonly code?: string;
  readonly retryAfter?: string | null;
  /** No answer within the client's deadline, or the connection dropped without one. */
  readonly hung?: boolean;
  readonly networkError?: string;
  /** The connection itself was refused (nothing listened): the request was never accepted. */
  readonly refusedConnection?: boolean;
}

export interface HttpFaultRun {
  readonly tally: FaultTally;
  readonly outcomes: readonly RequestOutcome[];
  /** Answers to requests sent after the fault (the server recovered): all 200. */
  readonly after: readonly RequestOutcome[];
  readonly serverExit?: number | NodeJS.Signals;
}

/** A client's patience: far beyond any answer on a healthy server, so a timeout means a hang. */
const CLIENT_DEADLINE_MS = 120_000;

async function embed(url: string, texts: readonly string[]): Promise<RequestOutcome> {
  try {
    const response = await fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: texts }), signal: AbortSignal.timeout(CLIENT_DEADLINE_MS) });
    const body = (await response.json().catch(() => ({}))) as { data?: { embedding: number[] }[]; error?: { code?: string } };
    if (response.status === 200) return { status: 200, vectors: (body.data ?? []).filter((d) => d.embedding.length === 384).length, inputs: texts.length };
    return { status: response.status, vectors: 0, inputs: texts.length, code: body.error?.code, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    const name = (error as Error).name;
    const cause = ((error as Error).cause as { code?: string } | undefined)?.code;
    return { status: 0, vectors: 0, inputs: texts.length, hung: name === 'TimeoutError', networkError: `${name}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`, refusedConnection: cause === 'ECONNREFUSED' };
  }
}

function textsFor(client: number, n: number): string[] {
  // 1..4 texts: single-text requests make single-row batches too, the case a split cannot retry.
  return Array.from({ length: 1 + ((client + n) % 4) }, (_, j) => `Request ${n} of client ${client}, text ${j}: a paragraph about the river, the mill and the bridge.`);
}

function tallyHttp(fault: string, outcomes: readonly RequestOutcome[], note: string): FaultTally {
  const refused: Record<string, number> = {};
  for (const o of outcomes) if (o.status !== 200 && o.status !== 0) refused[`${o.status} ${o.code ?? 'untyped'}${o.retryAfter ? ' +Retry-After' : ''}`] = (refused[`${o.status} ${o.code ?? 'untyped'}${o.retryAfter ? ' +Retry-After' : ''}`] ?? 0) + 1;
  const completed = outcomes.filter((o) => o.status === 200 && o.vectors === o.inputs).length;
  const typed = outcomes.filter((o) => o.status !== 200 && o.status !== 0 && o.code !== undefined).length;
  return { fault, accepted: outcomes.length, completed, retried: 0, deadLettered: {}, refused, lost: outcomes.length - completed - typed, duplicated: 0, note };
}

/**
 * `clients` concurrent clients send requests of 1..4 texts to a real `embedline serve` while an
 * inference thread crashes `crashes` times holding a batch. Every request must end with its
 * vectors or a typed error (no hang, no dropped connection), and the server must serve normally afterwards.
 */
export async function runHttpThreadCrash(root: string, clients: number, crashes: number): Promise<HttpFaultRun> {
  const trigger = crashTrigger(root, 'http-crash');
  const server = await startServe({ ...trigger.env, EMBEDLINE_LOG_LEVEL: 'warn' });
  const outcomes: RequestOutcome[] = [];
  let stop = false;
  try {
    const loops = Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; !stop; n++) outcomes.push(await embed(server.url, textsFor(client, n)));
    });
    const waitForAnswers = async (count: number): Promise<void> => {
      while (outcomes.length < count) await new Promise((r) => setTimeout(r, 50));
    };
    for (let c = 1; c <= crashes; c++) {
      await waitForAnswers(clients * 2 * c);
      await trigger.crashOnce();
    }
    await waitForAnswers(outcomes.length + clients * 2);
    stop = true;
    await Promise.all(loops);
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => embed(server.url, textsFor(100, i))));
    const tally = tallyHttp('inference thread crash (HTTP)', outcomes, `${clients} clients; ${crashes} thread exit(s) holding a batch; a crashed batch is split and run again, a text alone in it once more; a typed error only if the retry crashes too`);
    return { tally, outcomes, after };
  } finally {
    stop = true;
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
}

/**
 * SIGTERM to `embedline serve` under load: requests it had accepted finish (or get a typed 503);
 * requests after it stopped listening are refused at connect time, never accepted and dropped.
 */
export async function runHttpShutdown(clients: number): Promise<HttpFaultRun> {
  const server = await startServe({ EMBEDLINE_LOG_LEVEL: 'warn' });
  const outcomes: RequestOutcome[] = [];
  let stop = false;
  try {
    const loops = Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; !stop; n++) {
        const outcome = await embed(server.url, textsFor(client, n));
        // After SIGTERM the listener closes: a refused connection was never accepted, so it is not counted.
        if (outcome.refusedConnection) break;
        outcomes.push(outcome);
      }
    });
    while (outcomes.length < clients * 3) await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGTERM');
    const serverExit = await server.exited;
    stop = true;
    await Promise.all(loops);
    const tally = tallyHttp('SIGTERM of the HTTP server under load', outcomes, `${clients} clients; in-flight requests drained before exit ${String(serverExit)}; later connections refused (not accepted)`);
    return { tally, outcomes, after: [], serverExit };
  } finally {
    stop = true;
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
}
