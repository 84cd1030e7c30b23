import type { ShutdownHook } from '../../core/ports/ShutdownHook.js';
import type { CacheStage } from './CacheStage.js';

/**
 * Run by the runtime's close() once the batcher has drained, so the last computed vectors are in
 * the LRU: writes the final snapshot, then closes the Redis connection (both optional). Every
 * adapter that closes its runtime on SIGTERM (HTTP server, SQS worker, Lambda) gets it.
 */
export function cacheShutdownHook(stage: CacheStage, timeoutMs: number): ShutdownHook {
  return {
    name: 'cache',
    timeoutMs,
    onShutdown: async () => {
      try {
        await stage.snapshots?.close();
      } finally {
        await stage.cache.shared?.close();
      }
    },
  };
}
