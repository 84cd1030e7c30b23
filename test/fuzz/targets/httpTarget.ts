import { Agent, request } from 'node:http';
import type { HttpCase } from '../arbitraries/http.js';

/** What a fuzzed request got back, and what was wrong with it (if anything). */
export interface Verdict {
  /** Counted in the report: the status, or `hang` / `connection`. */
  readonly outcome: string;
  readonly problem?: string | undefined;
  /** For valid embedding requests: the vectors returned, in text order. */
  readonly vectors?: Float32Array[] | undefined;
}

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

const TYPED_CODE = /^EMBEDLINE_[A-Z_]+$/;
const DIMENSIONS = 384;

/** Sends fuzzed requests over keep-alive connections and judges every answer. */
export class HttpTarget {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly base: URL,
    private readonly timeoutMs = 30_000,
  ) {}

  async run(c: HttpCase): Promise<Verdict> {
    let raw: Raw;
    try {
      raw = await this.send(c);
    } catch (error) {
      const message = (error as Error).message;
      return { outcome: message === 'hang' ? 'hang' : 'connection', problem: `no answer: ${message}` };
    }
    const outcome = String(raw.status);
    const problem = raw.status >= 500 ? `status ${raw.status}: ${raw.body.toString('utf8').slice(0, 300)}` : raw.status >= 400 ? rejectionProblem(raw, c) : c.valid ? undefined : acceptedProblem(raw, c);
    if (problem) return { outcome, problem };
    if (!c.valid) return { outcome };
    if (raw.status !== 200) return { outcome, problem: `a valid request got ${raw.status}: ${raw.body.toString('utf8').slice(0, 300)}` };
    const parsed = vectorsOf(raw, c.valid);
    return typeof parsed === 'string' ? { outcome, problem: parsed } : { outcome, vectors: parsed };
  }

  close(): void {
    this.agent.destroy();
  }

  private send(c: HttpCase): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const body = c.body === undefined ? undefined : typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : Buffer.from(c.body);
      const headers: Record<string, string> = { ...c.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
      const req = request({ host: this.base.hostname, port: this.base.port, method: c.method, path: `${c.path}${c.query ? `?${c.query}` : ''}`, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      const timer = setTimeout(() => {
        req.destroy(new Error('hang'));
      }, this.timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  }
}

/** A 4xx must be a JSON error with a typed code and a message that says what was wrong. */
function rejectionProblem(raw: Raw, c: HttpCase): string | undefined {
  if (c.method === 'HEAD') return undefined;
  let payload: { error?: { message?: unknown; code?: unknown; type?: unknown } };
  try {
    payload = JSON.parse(raw.body.toString('utf8')) as typeof payload;
  } catch {
    return `status ${raw.status} without a JSON body: ${raw.body.toString('utf8').slice(0, 200)}`;
  }
  const { message, code, type } = payload.error ?? {};
  if (typeof message !== 'string' || message.length === 0) return `status ${raw.status} without an error message`;
  if (typeof type !== 'string') return `status ${raw.status} without an error type`;
  if (typeof code !== 'string' || !(TYPED_CODE.test(code) || (raw.status === 404 && code === 'not_found'))) return `status ${raw.status} with untyped code ${String(code)}`;
  if ((raw.status === 429 || raw.status === 503) && raw.headers['retry-after'] === undefined) return `status ${raw.status} without Retry-After`;
  return undefined;
}

/** A 2xx/3xx for a request that was not built valid: it must still be a well-formed answer. */
function acceptedProblem(raw: Raw, c: HttpCase): string | undefined {
  if (raw.status >= 300) return `unexpected status ${raw.status}`;
  if (c.method === 'HEAD' || c.method === 'OPTIONS') return undefined;
  const text = raw.body.toString('utf8');
  if (c.path === '/metrics') return text.includes('embedline_') ? undefined : 'metrics without embedline_ series';
  try {
    const value = JSON.parse(text) as unknown;
    if (c.path === '/v1/embeddings' || c.path === '/embed') {
      const vectors = c.path === '/embed' ? (value as number[][]) : ((value as { data: { embedding: number[] | string }[] }).data ?? []).map((d) => d.embedding);
      if (!Array.isArray(vectors) || vectors.length === 0) return 'an accepted embedding request returned no vectors';
      for (const v of vectors) {
        const problem = typeof v === 'string' ? base64Problem(v) : unitProblem(Float32Array.from(v));
        if (problem) return problem;
      }
    }
    return undefined;
  } catch {
    return `status ${raw.status} with a body that is not JSON`;
  }
}

function vectorsOf(raw: Raw, valid: NonNullable<HttpCase['valid']>): Float32Array[] | string {
  const value = JSON.parse(raw.body.toString('utf8')) as unknown;
  const rows = valid.route === 'tei' ? (value as number[][]) : (value as { data: { index: number; embedding: number[] | string }[] }).data.map((d) => d.embedding);
  if (rows.length !== valid.texts.length) return `${valid.texts.length} texts but ${rows.length} vectors`;
  const vectors = rows.map((r) => (typeof r === 'string' ? decodeBase64(r) : Float32Array.from(r)));
  for (const v of vectors) {
    const problem = unitProblem(v);
    if (problem) return problem;
  }
  return vectors;
}

function decodeBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function base64Problem(text: string): string | undefined {
  return unitProblem(decodeBase64(text));
}

/** Every vector is 384 finite numbers of unit length (the model's output is normalized). */
function unitProblem(v: Float32Array): string | undefined {
  if (v.length !== DIMENSIONS) return `a vector of ${v.length} dimensions`;
  let norm = 0;
  for (const x of v) {
    if (!Number.isFinite(x)) return 'a vector with a non-finite value';
    norm += x * x;
  }
  return Math.abs(Math.sqrt(norm) - 1) > 1e-3 ? `a vector of norm ${Math.sqrt(norm)}` : undefined;
}
