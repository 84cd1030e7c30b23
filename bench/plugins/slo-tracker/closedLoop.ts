import type { EncodePipeline } from '../../../core/pipeline/EncodePipeline.js';
import { percentile } from '../../support/stats.js';

export interface LoopResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * CPU time of the whole process (main thread and inference workers) per request. Less swayed
   * than throughput by other processes on a shared machine, and where an observer's cost shows.
   */
  readonly cpuMsPerRequest: number;
}

/**
 * A closed loop: `concurrency` callers, each sending its next request as soon as the last one
 * returns, for `seconds`. Throughput then measures what the pipeline can do, not the load we chose.
 */
export async function closedLoop(pipeline: EncodePipeline, texts: readonly string[], concurrency: number, seconds: number): Promise<LoopResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const caller = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const text = texts[next++ % texts.length]!;
      const t0 = performance.now();
      await pipeline.embed([text]);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: latencies.length,
    seconds: elapsed,
    requestsPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / latencies.length,
  };
}

/** Short queries of 8–12 word pieces, the case where per-request overhead shows most. */
export function shortTexts(count = 64): string[] {
  const topics = ['reset my password', 'cheap flights to Lisbon', 'vegetarian lasagne recipe', 'weather in Oslo tomorrow', 'how to tie a bowline', 'best budget headphones'];
  return Array.from({ length: count }, (_, i) => `query ${i}: ${topics[i % topics.length]}`);
}
