import { z } from 'zod';

const finite = z.number().finite();

/** The JSON the predictive policy persists; anything else in the file means "start fresh". */
export const predictiveStateSchema = z.strictObject({
  version: z.literal(1),
  model: z.strictObject({
    weights: z.array(finite).length(4),
    covariance: z.array(finite).length(16),
    samples: z.number().int().min(0),
  }),
  /** Smoothed padded length of recent batches, the length the planner sizes batches for. */
  referenceLength: z.number().positive().finite(),
});

export type PredictiveState = z.output<typeof predictiveStateSchema>;
