import type { EmbedlineConfig } from '../../core/config/schema.js';

/**
 * How many texts a consumer (worker or Lambda invocation) may hold at once: `sqs.maxInFlightTexts`,
 * by default two batches per inference worker, which keeps every device busy with the next batch
 * already queued. Never more than the pipeline queue takes, so no message is refused as overloaded.
 */
export function inFlightTextBudget(config: Readonly<EmbedlineConfig>): { maxTexts: number; adjustment?: string } {
  const wanted = config.sqs.maxInFlightTexts ?? 2 * config.encoder.workers * config.batching.maxBatchSize;
  const limit = config.batching.maxQueuedTexts;
  if (wanted <= limit) return { maxTexts: wanted };
  return { maxTexts: limit, adjustment: `sqs.maxInFlightTexts (${wanted}) exceeds batching.maxQueuedTexts; using ${limit} so the pipeline never refuses a message as overloaded` };
}
