import { z } from 'zod';

const MiB = 1024 * 1024;

/** `pluginOptions.memory-aware-batcher`. */
export const memoryAwareBatcherConfigSchema = z.strictObject({
  /**
   * Bytes one device may spend on batch activations at once (weights and the runtime's own
   * overhead excluded), for devices without a limit of their own: CPU devices (what the host can
   * spare), WebGPU (Node cannot read the adapter's limits) and CUDA cards nvidia-smi cannot see.
   * Default 1 GiB.
   */
  budgetBytes: z.number().int().positive().default(1024 * MiB),
  /** Per-device limits by device id (`cpu-fp32`, `cuda-0`, …), ahead of anything read or defaulted. */
  devices: z.record(z.string().min(1), z.strictObject({ budgetBytes: z.number().int().positive() })).default({}),
  /** Share of a CUDA card's memory (nvidia-smi memory.total) batches may use; the rest holds weights, the CUDA context and ORT's arena slack. */
  gpuUsableShare: z.number().positive().max(1).default(0.8),
  /**
   * Batches that run on one device at once, each getting the device's limit / `concurrentBatches`.
   * Unset: the device's sessions (`encoder.workers` for the default device).
   */
  concurrentBatches: z.number().int().positive().max(64).optional(),
  /** Bytes per activation element: 4 for fp32 (also what the int8 variants compute in), 2 for fp16. */
  bytesPerElement: z.union([z.literal(2), z.literal(4)]).default(4),
});

export type MemoryAwareBatcherConfig = z.output<typeof memoryAwareBatcherConfigSchema>;
