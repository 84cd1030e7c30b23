import { createRequire } from 'node:module';
import type { CacheLog } from '../tokens.js';
import { hnswRecipe, ivfRecipe } from './annRecipes.js';
import { FaissAnnIndex } from './FaissAnnIndex.js';
import { FaissFlatIndex } from './FaissFlatIndex.js';
import type { FaissModule } from './faissNode.js';
import { FLAT_INDEX, type IndexSpec } from './indexSpec.js';
import { LinearScanIndex } from './LinearScanIndex.js';
import type { VectorIndex } from './VectorIndex.js';

/** Per module name: the loaded module, or why it could not be loaded (warned about once). */
const loaded = new Map<string, FaissModule | Error>();

/**
 * A FAISS index of the spec's kind (flat, IVF or HNSW) when faiss-node's addon is built
 * (scripts/faiss-node/build-faiss-node.sh), otherwise a linear scan whatever the kind; the first
 * fallback in a process logs one line saying why.
 *
 * @example
 * const index = openVectorIndex(384, (line) => console.warn(line));
 * index.kind; // 'faiss-flat', or 'linear' without the addon
 * openVectorIndex(384, log, 'faiss-node', indexSpecSchema.parse({ kind: 'hnsw' })).kind; // 'faiss-hnsw'
 */
export function openVectorIndex(dimensions: number, log: CacheLog, moduleName = 'faiss-node', spec: IndexSpec = FLAT_INDEX): VectorIndex {
  const faiss = loadFaiss(moduleName, log);
  if (!faiss) return new LinearScanIndex(dimensions);
  switch (spec.kind) {
    case 'flat':
      return new FaissFlatIndex(new faiss.IndexFlatIP(dimensions), dimensions);
    case 'ivf':
      return new FaissAnnIndex(ivfRecipe(faiss, dimensions, spec.ivf), dimensions);
    case 'hnsw':
      return new FaissAnnIndex(hnswRecipe(faiss, dimensions, spec.hnsw), dimensions);
  }
}

/** Rough bytes one vector costs in an index of this kind (for the search tier's budget). */
export function indexBytesPerVector(dimensions: number, spec: IndexSpec): number {
  const vector = dimensions * 4;
  // IVF and HNSW keep the live vectors in a linear scan too (FaissAnnIndex), besides FAISS's copy;
  // IVF stores an 8-byte id per vector in its list, HNSW about 1.05 × 2m 4-byte links (level 0 has 2m).
  if (spec.kind === 'ivf') return vector + vector + 8;
  if (spec.kind === 'hnsw') return vector + vector + Math.ceil(spec.hnsw.m * 2 * 4 * 1.05) + 8;
  return vector + 8;
}

function loadFaiss(moduleName: string, log: CacheLog): FaissModule | undefined {
  let result = loaded.get(moduleName);
  if (!result) {
    try {
      result = createRequire(import.meta.url)(moduleName) as FaissModule;
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
      const reason = result.message.split('\n')[0];
      log(`cache: ${moduleName} is not available (${reason}); vector search runs as a linear scan. Build it with npm run faiss:build (needs g++ and libfaiss-dev).`);
    }
    loaded.set(moduleName, result);
  }
  return result instanceof Error ? undefined : result;
}
