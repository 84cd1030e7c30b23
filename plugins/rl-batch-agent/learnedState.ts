import { z } from 'zod';
import { CONTEXT_SIZE } from './context.js';

const finite = z.number().finite();

/** The JSON the agent persists. Arms are matched by key, so a changed arm grid keeps what still applies. */
export const rlStateSchema = z.strictObject({
  version: z.literal(1),
  arms: z.array(
    z.strictObject({
      key: z.string().min(1),
      inverse: z.array(finite).length(CONTEXT_SIZE * CONTEXT_SIZE),
      rewards: z.array(finite).length(CONTEXT_SIZE),
      pulls: z.number().int().min(0),
    }),
  ),
  /** The static shape's useful tokens/s, the reward unit. */
  scale: z.number().positive().finite(),
  /** Smoothed reward of epochs on the static arm. */
  baseline: finite.optional(),
  epochs: z.number().int().min(0),
  explored: z.number().int().min(0),
});

export type RlState = z.output<typeof rlStateSchema>;
