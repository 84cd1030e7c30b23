import type { EmbedlineConfig } from '../../core/config/schema.js';

/**
 * How many texts a consumer (worker or Lambda invocation) may hold at once: `sqs.maxInFlightTexts`,
 * by default twice the batcher's length-matching window (2 × lookahead × maxBatchSize = 256), so
 * the batcher always has a full window to pick similar lengths from and the next one waiting.
 * On the Debian corpus 64, 256 and 1024 in flight embedded within 6% of each other
 * (docs/BENCHMARKS.md, "SQS end to end"); more only lets one worker hoard messages others could
 * take. Never more than the pipeline queue takes, so no message is refused as overloaded.
 */
export function inFlightTextBudget(config: Readonly<EmbedlineConfig>): { maxTexts: number; adjustment?: string } {
  const wanted = config.sqs.maxInFlightTexts ?? 2 * config.batching.lookahead * config.batching.maxBatchSize;
  const limit = config.batching.maxQueuedTexts;
  if (wanted <= limit) return { maxTexts: wanted };
  return { maxTexts: limit, adjustment: `sqs.maxInFlightTexts (${wanted}) exceeds batching.maxQueuedTexts; using ${limit} so the pipeline never refuses a message as overloaded` };
}
