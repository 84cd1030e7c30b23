import { z } from 'zod';
import { MODEL_VARIANTS } from '../../core/model/variants.js';
import { PRIORITIES } from '../../core/pipeline/types.js';
import { VECTOR_FORMATS } from '../../core/precision/formats.js';

/** A named precision: the model variant that computes it and the vector format returned. */
const precisionSchema = z.strictObject({ variant: z.enum(MODEL_VARIANTS), format: z.enum(VECTOR_FORMATS) });

/** The documented default precisions (docs/precision.md): one per format, int8 on the int8 model. */
export const DEFAULT_PRECISIONS = {
  fp32: { variant: 'fp32', format: 'float32' },
  float16: { variant: 'fp32', format: 'float16' },
  int16: { variant: 'fp32', format: 'int16' },
  int8: { variant: 'int8', format: 'int8' },
  uint8: { variant: 'fp32', format: 'uint8' },
  binary: { variant: 'fp32', format: 'binary' },
  ubinary: { variant: 'fp32', format: 'ubinary' },
} as const;

/** Issue 12's mapping: the precision a request gets when it names none. */
export const DEFAULT_PRIORITY_PRECISION = { critical: 'fp32', normal: 'int16', background: 'int8' } as const;

/**
 * Lowest acceptable shadow cosine (p1 and mean) per format, below what this model measures
 * (docs/precision.md): int8/int16/uint8 vectors of the fp32 model p1 0.998 (clipping at the
 * calibration quantiles dominates), int8 vectors of the int8 model mean 0.9895 / min 0.96,
 * binary p1 0.767. float32 is only shadowed when served by the int8 model.
 */
export const DEFAULT_SHADOW_FLOORS = { float32: 0.95, float16: 0.999, int16: 0.99, int8: 0.95, uint8: 0.99, binary: 0.7, ubinary: 0.7 } as const;

const PRECISION_NAME = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/**
 * `pluginOptions.precision`. Every field has a documented default, so `plugins: [precision]`
 * needs no section. `precisions` replaces the default table when given; `priorities` must name
 * precisions of that table.
 */
export const precisionConfigSchema = z
  .strictObject({
    precisions: z
      .record(z.string().regex(PRECISION_NAME, 'precision names are 1-32 characters of [a-z0-9_.-]'), precisionSchema)
      .default(() => structuredClone(DEFAULT_PRECISIONS) as Record<string, z.infer<typeof precisionSchema>>),
    priorities: z
      .strictObject(Object.fromEntries(PRIORITIES.map((p) => [p, z.string()])) as Record<(typeof PRIORITIES)[number], z.ZodString>)
      .partial()
      .transform((given) => ({ ...DEFAULT_PRIORITY_PRECISION, ...given }))
      .prefault({}),
    shadow: z
      .strictObject({
        /**
         * Share of quantized requests whose texts are also checked against fp32, off the hot
         * path, into the shadow-cosine histogram. 0 disables it.
         */
        sampleRate: z.number().min(0).max(1).default(0.01),
        /**
         * Per vector format: the lowest acceptable 1st percentile of the shadow cosine, exported
         * as embedline_precision_shadow_cosine_floor for the alert. Defaults sit below what this
         * model measures (docs/precision.md), so only a real regression fires.
         */
        floors: z
          .strictObject(Object.fromEntries(VECTOR_FORMATS.map((f) => [f, z.number().min(-1).max(1)])) as Record<(typeof VECTOR_FORMATS)[number], z.ZodNumber>)
          .partial()
          .transform((given) => ({ ...DEFAULT_SHADOW_FLOORS, ...given }))
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const [priority, name] of Object.entries(config.priorities)) {
      if (!Object.hasOwn(config.precisions, name)) {
        ctx.addIssue({ code: 'custom', path: ['priorities', priority], message: `"${name}" is not a configured precision (${Object.keys(config.precisions).join(', ')})` });
      }
    }
  });

export type PrecisionConfig = z.output<typeof precisionConfigSchema>;
export type PrecisionConfigInput = z.input<typeof precisionConfigSchema>;
