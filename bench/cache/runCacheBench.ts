/**
 * Cache end to end (issue 13 item 7, exact tier): single-text POST /v1/embeddings from 64
 * clients over a real stream with real repetition (repeatingStream.ts), each request sent once in
 * stream order, for a first pass and then the same requests again (repeated pass):
 * no cache, the exact cache, and three instances sharing the exact cache through Redis (requests
 * dealt round-robin to the three). Run: `npm run bench:cache`.
 */
import autocannon from 'autocannon';
import { percentile } from '../support/stats.js';
import { startServer } from '../support/serverProcess.js';
import { repeatingStream } from './repeatingStream.js';
import { writeCacheConfig } from './cacheConfig.js';
import { startRedis } from '../../test/support/redis.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
/** Texts per pass; smaller for a quick check of the script itself. */
const STREAM_SIZE = Number(process.env.BENCH_STREAM_SIZE ?? 4_000);

interface Pass {
  requestsPerSec: number;
  p50: number;
  p99: number;
  hitRate: number;
  errors: number;
}

/** Sends `texts` (in order, each once) spread over the servers, `CLIENTS` connections in all. */
async function pass(urls: readonly string[], texts: readonly string[]): Promise<Pass> {
  const before = await Promise.all(urls.map(cacheCounts));
  const latencies: number[] = [];
  const started = performance.now();
  const results = await Promise.all(
    urls.map((url, k) => {
      const share = texts.filter((_, i) => i % urls.length === k);
      let next = 0;
      return new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${url}/v1/embeddings`,
            connections: Math.max(1, Math.round(CLIENTS / urls.length)),
            amount: share.length,
            timeout: 60,
            requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ input: share[next++ % share.length] }) }) }],
          },
          (error, done) => (error ? reject(error) : resolve(done)),
        );
        instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => latencies.push(ms));
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await Promise.all(urls.map(cacheCounts));
  const hits = after.reduce((s, c, i) => s + c.hits - before[i]!.hits, 0);
  const misses = after.reduce((s, c, i) => s + c.misses - before[i]!.misses, 0);
  return {
    requestsPerSec: texts.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
    errors: results.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

async function cacheCounts(url: string): Promise<{ hits: number; misses: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (name: string): number =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return { hits: sum('embedline_cache_hits_total'), misses: sum('embedline_cache_misses_total') };
}

/** Texts outside the stream, so sessions and arenas are warm but the cache is not. */
async function warmUp(urls: readonly string[]): Promise<void> {
  await pass(urls, Array.from({ length: 200 }, (_, i) => `Warm-up sentence number ${i} for the inference sessions.`));
}

const stream = await repeatingStream(STREAM_SIZE);
console.error(`stream: ${stream.texts.length} texts from offset ${stream.offset}, ${stream.distinct} distinct, ${(stream.repeatShare * 100).toFixed(1)}% seen before`);
const redis = await startRedis();
const modes: { name: string; instances: number; env: Record<string, string> }[] = [
  { name: 'no cache', instances: 1, env: { EMBEDLINE_PLUGINS: '' } },
  { name: 'exact cache', instances: 1, env: { EMBEDLINE_PLUGINS: 'cache' } },
  { name: 'exact cache, 3 instances sharing Redis (1 worker each)', instances: 3, env: { EMBEDLINE_PLUGINS: 'cache', EMBEDLINE_WORKERS: '1', EMBEDLINE_CONFIG: await writeCacheConfig(redis.url) } },
];
const rows: string[] = [];
let port = 18180;
try {
  for (const mode of modes) {
    const servers = await Promise.all(Array.from({ length: mode.instances }, () => startServer(port++, mode.env)));
    try {
      const urls = servers.map((s) => s.url);
      await warmUp(urls);
      for (const name of ['first', 'repeated']) {
        const r = await pass(urls, stream.texts);
        rows.push(`| ${mode.name} | ${name} | ${mode.name === 'no cache' ? '—' : `${(r.hitRate * 100).toFixed(1)}%`} | ${r.requestsPerSec.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`);
        console.error(rows.at(-1));
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
} finally {
  await redis.stop();
}
console.log(`| mode | pass | hit rate | requests/s | p50 ms | p99 ms | errors |\n| --- | --- | --- | --- | --- | --- | --- |`);
for (const row of rows) console.log(row);
