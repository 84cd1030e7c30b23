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
   * ln 2 / (1 − λ) batches (about 140 at 0.995), so the model follows a device that drifts.
   * (0.999, 690 batches, was too slow: the comparison in docs/BENCHMARKS.md lost on a slowed
   * device and on a move to long texts.) A sudden change is the shift detector's.
   */
  forgetting: z.number().min(0.9).max(1).default(0.995),
  /**
   * A sustained jump in the prediction error resets the model's confidence (it keeps its weights,
   * forgets how sure it was) and the reference length: a device slowed to a third, or texts four
   * times longer than the fit saw, are re-learned in a few dozen batches instead of hundreds.
   * Triggered when each of the last `batches` out-of-sample errors is above `minError` and above
   * `factor` × the usual error (the MAPE window's).
   */
  shiftDetection: z
    .strictObject({
      enabled: z.boolean().default(true),
      batches: z.number().int().min(2).max(1000).default(6),
      minError: z.number().positive().max(10).default(0.3),
      factor: z.number().min(1).max(100).default(2.5),
    })
    .prefault({}),
  /** Recent batches the prediction error (MAPE) is measured over. */
  errorWindow: z.number().int().min(8).max(10_000).default(200),
  /** Write what it learned to `<cacheDir>/adaptive/<stateFile>` every this many batches. */
  persistEveryBatches: z.number().int().min(1).default(64),
  stateFile: z.string().regex(/^[\w.-]+\.json$/, 'a plain file name ending in .json').default('predictive-batch-size.json'),
});

export type PredictiveBatchSizeConfig = z.output<typeof predictiveBatchSizeConfigSchema>;
