import { z } from 'zod';
import { indexSpecSchema } from '../ann/indexSpec.js';

/**
 * `pluginOptions.cache.search`: kNN search over the vectors this cache computed (`POST /v1/search`).
 * Off by default. Texts are user data: they are kept only with `storeTexts`, and never logged.
 */
export const searchConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Keep each text next to its vector and return it with the hit (user data held in memory; off: only ids and scores). */
    storeTexts: z.boolean().default(false),
    /** Bytes the indexes may hold (vectors, index structure, ids, texts); the oldest entries go first beyond it. */
    maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
    /** Entries the indexes may hold, all scopes together. */
    maxEntries: z.number().int().positive().default(100_000),
    index: indexSpecSchema.prefault({}),
  })
  .prefault({});

export type SearchConfig = z.output<typeof searchConfigSchema>;
