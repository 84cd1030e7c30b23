import { z } from 'zod';

const MiB = 1024 * 1024;

/**
 * `pluginOptions.memory-pool`. Every field has a documented default, so enabling the plugin
 * (`EMBEDDING_GPU_MEMORY_POOL=true` or `plugins: [memory-pool]`) needs no section at all.
 */
export const memoryPoolConfigSchema = z.strictObject({
  /**
   * Bytes the pool may hold, idle and lent together. Past it, the least recently used idle
   * buffers are freed, and a buffer coming back while the pool is still over budget is dropped.
   * A batch never waits for memory: the budget bounds what is kept, not what is lent.
   */
  maxBytes: z.number().int().positive().default(256 * MiB),
  /**
   * Capacity classes per doubling of a batch's rows × seqLen cells. 4 means a buffer is at most
   * 25% larger than the batch it serves; more classes waste less per buffer but reuse less.
   */
  classesPerDoubling: z.number().int().min(1).max(16).default(4),
  /** The smallest capacity, in cells: every batch below it shares one class. */
  minCells: z.number().int().positive().default(256),
  /**
   * Also pool a float32 buffer for the hidden states and give it to ONNX Runtime as a
   * pre-allocated output (`fetches`). Off by default: onnxruntime-node 1.30 still copies the
   * output into a fresh ArrayBuffer, so this costs 1.5 KB per cell and saved nothing measurable
   * here (docs/BENCHMARKS.md, "Memory pool").
   */
  preallocateOutputs: z.boolean().default(false),
});

export type MemoryPoolConfig = z.output<typeof memoryPoolConfigSchema>;
