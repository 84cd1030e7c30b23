import { Worker } from 'node:worker_threads';

/** One probe of GET /health or GET /metrics. */
export interface ProbeSample {
  /** Epoch ms the probe was sent. */
  readonly at: number;
  readonly ms: number;
  /** HTTP status; 0 for no answer within the probe's timeout. */
  readonly status: number;
}

/** What one /metrics scrape said. */
export interface MetricsPoint {
  readonly at: number;
  /** embedline_texts_total: texts embedded so far. */
  readonly texts: number;
  /** embedline_queue_depth: texts waiting to be batched. */
  readonly queueDepth: number;
  /** embedline_batch_inference_seconds_sum over devices: time batches spent in ONNX Runtime. */
  readonly inferenceSeconds: number;
}

/** Resident memory of the server process, sampled. */
export interface RssPoint {
  readonly at: number;
  readonly rssBytes: number;
  /** User + system CPU seconds the process has used so far. */
  readonly cpuSeconds: number;
}

export interface ProbeResults {
  readonly health: ProbeSample[];
  readonly metrics: ProbeSample[];
  readonly points: MetricsPoint[];
  readonly rss: RssPoint[];
  /** VmHWM at the end: the process's resident peak since it started. */
  readonly hwmBytes: number;
}

export interface ProbeOptions {
  readonly url: string;
  readonly pid: number;
  /** /health and /metrics are each probed this often, whether or not the last answer came. */
  readonly probeEveryMs: number;
  readonly rssEveryMs: number;
  /** A probe without an answer after this long is recorded with status 0. */
  readonly probeTimeoutMs: number;
}

/**
 * Probes /health and /metrics and samples the server's RSS from a worker thread of its own, so
 * the load generator's busy event loop does not delay the probes (their latency would then be
 * the client's, not the server's).
 *
 * @example
 * const probe = startServerProbe({ url, pid, probeEveryMs: 100, rssEveryMs: 250, probeTimeoutMs: 5000 });
 * const results = await probe.stop();
 */
export function startServerProbe(options: ProbeOptions): { stop(): Promise<ProbeResults> } {
  const worker = new Worker(new URL('./probeThread.js', import.meta.url), { workerData: options });
  const results = new Promise<ProbeResults>((resolve, reject) => {
    worker.once('message', (r: ProbeResults) => resolve(r));
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const r = await results;
      await worker.terminate();
      return r;
    },
  };
}

/** The sum of a metric's samples over all its label sets (`name{...} v` lines); 0 before the first sample. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'gm'))) sum += Number(match[1]);
  return sum;
}
