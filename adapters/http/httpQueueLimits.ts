import type { EmbedlineConfig } from '../../core/config/schema.js';
import { PRIORITIES } from '../../core/pipeline/types.js';

/**
 * The config `embedline serve` runs with: each priority without a `batching.maxQueueDelayMs`
 * gets `http.maxQueueDelayMs`'s. Without a limit a request is admitted whenever it could finish
 * within its 30 s timeout, so under overload every caller waited up to 30 s instead of being told
 * at once when to come back; the SQS worker, whose messages can wait, keeps that rule.
 *
 * @example
 * withHttpQueueLimits(configSchema.parse({})).batching.maxQueueDelayMs; // { critical: 10000, normal: 5000, background: 2000 }
 */
export function withHttpQueueLimits(config: Readonly<EmbedlineConfig>): EmbedlineConfig {
  const configured = config.batching.maxQueueDelayMs;
  const limits = Object.fromEntries(PRIORITIES.map((p) => [p, configured[p] ?? config.http.maxQueueDelayMs[p]]));
  return { ...config, batching: { ...config.batching, maxQueueDelayMs: limits } };
}
