import { z } from 'zod';
import { indexSpecSchema } from '../ann/indexSpec.js';

/**
 * `pluginOptions.cache.nearDuplicate`. Off by default; enabling it needs an error bound and a
 * calibration file that shows the threshold meets it (checked at start, see calibrationGate.ts).
 */
export const nearDuplicateConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Which sketch: hashed character n-gram vectors (τ compares their cosine) or MinHash (τ compares the Jaccard estimate). */
  sketch: z.enum(['ngram', 'minhash']).default('ngram'),
  ngram: z
    .strictObject({
      /** Characters per gram. */
      n: z.number().int().min(2).max(12).default(5),
      /** Length of the hashed vector. */
      dimensions: z.number().int().min(16).max(4096).default(256),
    })
    .prefault({}),
  minhash: z
    .strictObject({
      n: z.number().int().min(2).max(12).default(5),
      /** Hashes per signature: more is a tighter Jaccard estimate and a slower sketch. */
      permutations: z.number().int().min(8).max(1024).default(128),
      /** Bits of each minimum the vector index compares (the candidates are re-ranked on all 32). */
      bits: z.number().int().min(1).max(4).default(2),
    })
    .prefault({}),
  /** τ: a neighbour at or above this sketch similarity is served. Must be a threshold the calibration file measured. */
  threshold: z.number().gt(0).max(1).default(0.95),
  /** What the served vectors' cosine to the true ones must be, as the calibration measured it at `threshold`. */
  errorBound: z
    .strictObject({
      /** 1st percentile of served cosine. */
      p1Cosine: z.number().gt(0).max(1),
      /** Optional: the lowest served cosine. */
      minCosine: z.number().gt(0).max(1).optional(),
    })
    .optional(),
  /** Output of `embedline cache calibrate-near-duplicates` on this deployment's own traffic. */
  calibrationFile: z.string().min(1).optional(),
  /** Calibration hits at `threshold` needed before its p1 means anything. */
  minCalibrationHits: z.number().int().min(1).default(100),
  /** Priorities the tier may serve; `critical` is never allowed. */
  priorities: z.array(z.enum(['normal', 'background'])).min(1).default(['normal', 'background']),
  /** Candidates taken from the vector index and re-ranked by the sketch's own similarity. */
  k: z.number().int().min(1).max(64).default(4),
  /** Below this many entries a scope's index is a linear scan; from it on, FAISS (when built). */
  linearBelow: z.number().int().min(0).default(2_048),
  /** The FAISS index from `linearBelow` on: `flat` (exact), `ivf` (`ivf.nprobe`) or `hnsw` (`hnsw.efSearch`), as for /v1/search. */
  index: indexSpecSchema.prefault({}),
  /** Redis Stream announcements of new entries (only with `redis.url`). */
  announce: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Approximate stream length kept (XADD MAXLEN ~). */
      maxLen: z.number().int().positive().default(100_000),
      /** How long one XREAD waits for new entries. */
      blockMs: z.number().int().positive().default(1_000),
      /** Where a starting instance reads from: the retained backlog (warms its index) or only what comes next. */
      from: z.enum(['backlog', 'new']).default('backlog'),
    })
    .prefault({}),
});

export type NearDuplicateConfig = z.output<typeof nearDuplicateConfigSchema>;
