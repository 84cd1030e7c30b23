import { z } from 'zod';

const MiB = 1024 * 1024;

/** `pluginOptions.memory-aware-batcher`. */
export const memoryAwareBatcherConfigSchema = z.strictObject({
  /**
   * Bytes one device may spend on batch activations at once (weights and the runtime's own
   * overhead excluded). CPU: what the host can spare; GPU: the adapter's memory limit less the
   * weights. Default 1 GiB.
   */
  budgetBytes: z.number().int().positive().default(1024 * MiB),
  /**
   * Batches that run on one device at once, each getting `budgetBytes / concurrentBatches`.
   * Unset: `encoder.workers` (one batch per worker session).
   */
  concurrentBatches: z.number().int().positive().max(64).optional(),
  /** Bytes per activation element: 4 for fp32 (also what the int8 variants compute in), 2 for fp16. */
  bytesPerElement: z.union([z.literal(2), z.literal(4)]).default(4),
});

export type MemoryAwareBatcherConfig = z.output<typeof memoryAwareBatcherConfigSchema>;
