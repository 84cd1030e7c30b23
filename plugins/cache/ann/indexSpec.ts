import { z } from 'zod';

/**
 * Which vector index `/v1/search` uses (`pluginOptions.cache.search.index`). `flat` is FAISS's
 * exact IndexFlatIP; `ivf` (IndexIVFFlat) and `hnsw` (IndexHNSWFlat) are approximate and trade
 * recall for lookup time at large sizes (docs/BENCHMARKS.md, "ANN indexes"). Without the
 * faiss-node addon every kind runs as a linear scan.
 */
export const indexSpecSchema = z.strictObject({
  kind: z.enum(['flat', 'ivf', 'hnsw']).default('flat'),
  ivf: z
    .strictObject({
      /** Inverted lists (k-means centroids); about √n for n vectors. */
      nlist: z.number().int().min(1).max(65_536).default(256),
      /** Lists searched per query: more is slower and finds more of the true top k. */
      nprobe: z.number().int().min(1).max(65_536).default(16),
      /** Vectors gathered (searched by linear scan meanwhile) before k-means trains the lists; FAISS wants ≥ 39 per list. Default 40 × nlist. */
      trainSize: z.number().int().min(1).optional(),
    })
    .prefault({}),
  hnsw: z
    .strictObject({
      /** Graph neighbours per vector (the `32` of `HNSW32`): more is more memory and better recall. */
      m: z.number().int().min(2).max(256).default(32),
      /** Candidate list while inserting (FAISS default 40). */
      efConstruction: z.number().int().min(1).max(4_096).default(40),
      /** Candidate list while searching (FAISS default 16); a search uses at least k. */
      efSearch: z.number().int().min(1).max(4_096).default(64),
    })
    .prefault({}),
});

export type IndexSpec = z.output<typeof indexSpecSchema>;
export type IndexKind = IndexSpec['kind'];

/** The spec with every default filled in (what `openVectorIndex` takes when given nothing). */
export const FLAT_INDEX: IndexSpec = indexSpecSchema.parse({});

/** Vectors an IVF index gathers before training. */
export function ivfTrainSize(spec: IndexSpec['ivf']): number {
  return spec.trainSize ?? spec.nlist * 40;
}
