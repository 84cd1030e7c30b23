/** Worker-thread side of serverProbe.ts: probes until the parent posts 'stop', then posts its results. */
import { parentPort, workerData } from 'node:worker_threads';
import { readCpuSeconds, readMemory } from './procStats.js';
import { metricSum, type MetricsPoint, type ProbeOptions, type ProbeResults, type ProbeSample, type RssPoint } from './serverProbe.js';

const options = workerData as ProbeOptions;
const health: ProbeSample[] = [];
const metrics: ProbeSample[] = [];
const points: MetricsPoint[] = [];
const rss: RssPoint[] = [];
const inFlight = new Set<Promise<void>>();
let hwmBytes = 0;

function probe(path: '/health' | '/metrics'): void {
  const at = Date.now();
  const t0 = performance.now();
  const p = fetch(`${options.url}${path}`, { signal: AbortSignal.timeout(options.probeTimeoutMs) })
    .then(async (res) => {
      const text = await res.text();
      const ms = performance.now() - t0;
      (path === '/health' ? health : metrics).push({ at, ms, status: res.status });
      if (path === '/metrics' && res.ok) points.push({ at, texts: metricSum(text, 'embedline_texts_total'), queueDepth: metricSum(text, 'embedline_queue_depth'), inferenceSeconds: metricSum(text, 'embedline_batch_inference_seconds_sum') });
    })
    .catch(() => void (path === '/health' ? health : metrics).push({ at, ms: performance.now() - t0, status: 0 }));
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
}

function sampleRss(): void {
  const m = readMemory(options.pid);
  if (!m) return;
  rss.push({ at: Date.now(), rssBytes: m.rssBytes, cpuSeconds: readCpuSeconds(options.pid) ?? Number.NaN });
  hwmBytes = Math.max(hwmBytes, m.hwmBytes);
}

const probeTimer = setInterval(() => {
  probe('/health');
  probe('/metrics');
}, options.probeEveryMs);
const rssTimer = setInterval(sampleRss, options.rssEveryMs);
sampleRss();

parentPort!.once('message', async () => {
  clearInterval(probeTimer);
  clearInterval(rssTimer);
  await Promise.all([...inFlight]);
  sampleRss();
  const results: ProbeResults = { health, metrics, points, rss, hwmBytes };
  parentPort!.postMessage(results);
});
