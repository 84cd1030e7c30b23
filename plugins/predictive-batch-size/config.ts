import { z } from 'zod';

const targetMs = z.number().positive().max(600_000);

/**
 * `pluginOptions.predictive-batch-size`. Every field has a documented default, so
 * `EMBEDDING_ADAPTIVE_BATCH_SIZE=true` needs no section at all.
 */
export const predictiveBatchSizeConfigSchema = z.strictObject({
  /**
   * Latency a text may spend in its batch (wait for company + inference), per priority. Unset:
   * a share of `batching.requestTimeoutMs` (critical 1%, normal 5%, background 20%: 300 ms,
   * 1.5 s and 6 s with the default 30 s timeout).
   */
  latencyTargetMs: z.strictObject({ critical: targetMs.optional(), normal: targetMs.optional(), background: targetMs.optional() }).prefault({}),
  /** Batches learned from before the model's choice replaces the static shape. */
  minSamples: z.number().int().min(4).max(10_000).default(32),
  /** The largest batch it may choose. */
  maxBatchSizeLimit: z.number().int().min(1).max(4096).default(128),
  /** The longest wait for company it may choose, in ms. */
  maxWaitLimitMs: z.number().min(0).max(10_000).default(20),
  /** Share of the latency target kept for waiting; the rest bounds the predicted inference time. */
  waitShare: z.number().min(0).max(0.9).default(0.25),
  /**
   * Recursive least squares forgetting factor: the weight of a sample halves after
   * ln 2 / (1 − λ) batches (about 690 at 0.999), so the model follows a device that slows down.
   */
  forgetting: z.number().min(0.9).max(1).default(0.999),
  /** Recent batches the prediction error (MAPE) is measured over. */
  errorWindow: z.number().int().min(8).max(10_000).default(200),
  /** Write what it learned to `<cacheDir>/adaptive/<stateFile>` every this many batches. */
  persistEveryBatches: z.number().int().min(1).default(64),
  stateFile: z.string().regex(/^[\w.-]+\.json$/, 'a plain file name ending in .json').default('predictive-batch-size.json'),
});

export type PredictiveBatchSizeConfig = z.output<typeof predictiveBatchSizeConfigSchema>;
