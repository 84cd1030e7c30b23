/**
 * HTTP load benchmark (issue 3): single-sentence POST /v1/embeddings at 1, 8 and 64 concurrent
 * clients: the default batcher, the same waiting maxWaitMs even when a worker is idle, the same
 * without its padding limit (the previous default), plain FIFO batches, and batching off
 * (batches of one, no waiting).
 * Sentences are real corpus texts cycled in a fixed order. Run: `npm run bench:http`.
 */
import autocannon from 'autocannon';
import { corpusTexts } from '../support/corpusTexts.js';
import { percentile } from '../support/stats.js';
import { startServer } from '../support/serverProcess.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = [1, 8, 64];
const MODES: Record<string, Record<string, string>> = {
  'default: ≤16 texts, padding ≤5%': {},
  'default, always waiting 2 ms': { EMBEDLINE_DISPATCH_WHEN_IDLE: 'false' },
  'no padding limit: ≤64 texts': { EMBEDLINE_MAX_BATCH_SIZE: '64', EMBEDLINE_MAX_PADDING_RATIO: '1' },
  'FIFO: ≤64 texts, lookahead 1': { EMBEDLINE_MAX_BATCH_SIZE: '64', EMBEDLINE_MAX_PADDING_RATIO: '1', EMBEDLINE_BATCH_LOOKAHEAD: '1' },
  'batching off': { EMBEDLINE_MAX_BATCH_SIZE: '1', EMBEDLINE_MAX_WAIT_MS: '0' },
};

interface Row {
  mode: string;
  clients: number;
  requestsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

/** Sentence-sized corpus texts: the single-sentence requests the issue asks about. */
async function loadSentences(): Promise<string[]> {
  return (await corpusTexts(10_000)).filter((t) => t.length < 300).slice(0, 2000);
}

async function measure(url: string, clients: number, sentences: string[]): Promise<Omit<Row, 'mode'>> {
  let next = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/embeddings`,
        connections: clients,
        duration: DURATION_S,
        requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ input: sentences[next++ % sentences.length] }) }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  return {
    clients,
    requestsPerSec: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.non2xx,
  };
}

const sentences = await loadSentences();
const rows: Row[] = [];
let port = 18080;
for (const [mode, env] of Object.entries(MODES)) {
  const server = await startServer(port++, env);
  try {
    await measure(server.url, 8, sentences); // warm-up: sessions, arenas, JIT
    for (const clients of CONCURRENCY) rows.push({ mode, ...(await measure(server.url, clients, sentences)) });
  } finally {
    await server.stop();
  }
}
console.log(`| mode | clients | requests/s | p50 ms | p95 ms | p99 ms | errors |\n| --- | --- | --- | --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.mode} | ${r.clients} | ${r.requestsPerSec.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`);
