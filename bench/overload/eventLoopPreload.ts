/**
 * Loaded into a served process with `node --import` (NODE_OPTIONS), so the event-loop delay of
 * the real `embedline serve` or `embedline worker` main thread can be read without changing
 * either: every second it appends `{"at","p50Ms","p99Ms","maxMs"}` of that second to the file in
 * EMBEDLINE_BENCH_EVENT_LOOP_FILE. Inactive in worker threads and without the variable.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env.EMBEDLINE_BENCH_EVENT_LOOP_FILE;
if (isMainThread && file) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const timer = setInterval(() => {
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), samples: histogram.count })}\n`);
    histogram.reset();
  }, 1000);
  timer.unref();
}
