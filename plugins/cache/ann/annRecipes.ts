import type { AnnRecipe } from './FaissAnnIndex.js';
import type { FaissHandle, FaissModule } from './faissNode.js';
import { withHnswEf, withNprobe } from './faissParameters.js';
import { ivfTrainSize, type IndexSpec } from './indexSpec.js';

/**
 * IndexIVFFlat (`IVF<nlist>,Flat`, inner product): trained once, on the first `trainSize`
 * vectors; a rebuild reuses those centroids (a copy of the trained, empty index) rather than
 * running k-means again in the request path.
 */
export function ivfRecipe(faiss: FaissModule, dimensions: number, spec: IndexSpec['ivf']): AnnRecipe {
  const trainSize = Math.max(ivfTrainSize(spec), spec.nlist);
  let trained: Buffer | undefined;
  return {
    kind: 'faiss-ivf',
    buildAt: trainSize,
    create(training: Float32Array): FaissHandle {
      if (trained) return faiss.Index.fromBuffer(trained);
      const index = faiss.Index.fromFactory(dimensions, `IVF${spec.nlist},Flat`, faiss.MetricType.METRIC_INNER_PRODUCT);
      index.train(Array.from(training.subarray(0, trainSize * dimensions)));
      const tuned = withNprobe(faiss, index, spec.nlist, spec.nprobe);
      trained = Buffer.from(tuned.toBuffer());
      return tuned;
    },
  };
}

/** IndexHNSWFlat (`HNSW<m>,Flat`, inner product) with the configured efConstruction and efSearch. */
export function hnswRecipe(faiss: FaissModule, dimensions: number, spec: IndexSpec['hnsw']): AnnRecipe {
  return {
    kind: 'faiss-hnsw',
    buildAt: 0,
    create: () => withHnswEf(faiss, faiss.Index.fromFactory(dimensions, `HNSW${spec.m},Flat`, faiss.MetricType.METRIC_INNER_PRODUCT), spec),
  };
}
