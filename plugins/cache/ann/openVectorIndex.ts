import { createRequire } from 'node:module';
import type { CacheLog } from '../tokens.js';
import { FaissFlatIndex, type FaissFlatIP } from './FaissFlatIndex.js';
import { LinearScanIndex } from './LinearScanIndex.js';
import type { VectorIndex } from './VectorIndex.js';

type FaissModule = { IndexFlatIP: new (dimensions: number) => FaissFlatIP };

/** Per module name: the loaded module, or why it could not be loaded (warned about once). */
const loaded = new Map<string, FaissModule | Error>();

/**
 * A FAISS index when faiss-node's addon is built (scripts/faiss-node/build-faiss-node.sh),
 * otherwise a linear scan; the first fallback in a process logs one line saying why.
 *
 * @example
 * const index = openVectorIndex(384, (line) => console.warn(line));
 * index.kind; // 'faiss-flat', or 'linear' without the addon
 */
export function openVectorIndex(dimensions: number, log: CacheLog, moduleName = 'faiss-node'): VectorIndex {
  const faiss = loadFaiss(moduleName, log);
  return faiss ? new FaissFlatIndex(new faiss.IndexFlatIP(dimensions), dimensions) : new LinearScanIndex(dimensions);
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
