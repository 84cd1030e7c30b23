import { PerformanceObserver } from 'node:perf_hooks';

/** Main-thread GC pauses, from perf_hooks 'gc' entries, between `start` and `stop`. */
export function watchGcPauses(): { stop(): { readonly count: number; readonly totalMs: number; readonly maxMs: number } } {
  let count = 0;
  let totalMs = 0;
  let maxMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      count++;
      totalMs += entry.duration;
      maxMs = Math.max(maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      observer.disconnect();
      return { count, totalMs, maxMs };
    },
  };
}
