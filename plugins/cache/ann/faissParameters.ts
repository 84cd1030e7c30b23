import type { FaissHandle, FaissModule } from './faissNode.js';

/**
 * faiss-node 0.5 has no setter for IVF's nprobe or HNSW's efSearch/efConstruction, but FAISS
 * serializes them (faiss/impl/index_write.cpp), and faiss-node can write an index to a buffer and
 * read one back. So a parameter is set by writing the index, changing its field in the bytes and
 * reading the index back. Each edit checks the bytes it expects around the field and throws if
 * the layout is not FAISS 1.7's, rather than writing into the wrong place.
 */

/** fourcc + d (i32) + ntotal, 2 unused (i64 each) + is_trained (u8): where metric_type starts. */
const METRIC_AT = 4 + 4 + 8 + 8 + 8 + 1;

/** The IVF index with `nprobe` lists searched per query (FAISS's default is 1). */
export function withNprobe(faiss: FaissModule, index: FaissHandle, nlist: number, nprobe: number): FaissHandle {
  const bytes = Buffer.from(index.toBuffer());
  expectFourcc(bytes, 'IwFl', 'IndexIVFFlat');
  // metric_arg (f32) is written only for metrics beyond L2 and inner product.
  const nlistAt = METRIC_AT + 4 + (bytes.readInt32LE(METRIC_AT) > 1 ? 4 : 0);
  const found = Number(bytes.readBigUInt64LE(nlistAt));
  if (found !== nlist) throw new Error(`unexpected IndexIVFFlat layout: nlist ${found} where ${nlist} was expected`);
  bytes.writeBigUInt64LE(BigInt(Math.min(nprobe, nlist)), nlistAt + 8);
  return faiss.Index.fromBuffer(bytes);
}

/**
 * Where efConstruction sits in a serialized IndexHNSWFlat (efSearch follows it): after the index
 * header, the HNSW graph is five length-prefixed arrays (assign_probas f64, cum_nneighbor_per_level
 * i32, levels i32, offsets u64, neighbors i32), then entry_point, max_level, efConstruction,
 * efSearch and upper_beam (i32 each).
 */
function hnswEfAt(bytes: Buffer): number {
  expectFourcc(bytes, 'IHNf', 'IndexHNSWFlat');
  let at = METRIC_AT + 4 + (bytes.readInt32LE(METRIC_AT) > 1 ? 4 : 0);
  for (const elementBytes of [8, 4, 4, 8, 4]) {
    const length = Number(bytes.readBigUInt64LE(at));
    at += 8 + length * elementBytes;
    if (at + 20 > bytes.length) throw new Error('unexpected IndexHNSWFlat layout: the graph arrays run past the end');
  }
  const [entryPoint, maxLevel, efConstruction, efSearch] = [0, 4, 8, 12].map((o) => bytes.readInt32LE(at + o));
  if (entryPoint! < -1 || maxLevel! < -1 || efConstruction! < 1 || efSearch! < 1) throw new Error('unexpected IndexHNSWFlat layout: entry point, level or ef fields out of range');
  return at + 8;
}

/** The HNSW index with the given candidate-list sizes; efConstruction matters for vectors added afterwards. */
export function withHnswEf(faiss: FaissModule, index: FaissHandle, ef: { efConstruction?: number; efSearch: number }): FaissHandle {
  const bytes = Buffer.from(index.toBuffer());
  const at = hnswEfAt(bytes);
  if (ef.efConstruction !== undefined) bytes.writeInt32LE(ef.efConstruction, at);
  bytes.writeInt32LE(ef.efSearch, at + 4);
  return faiss.Index.fromBuffer(bytes);
}

/** Reads back (for tests and the bench): HNSW efConstruction and efSearch. */
export function hnswEfOf(index: FaissHandle): { efConstruction: number; efSearch: number } {
  const bytes = index.toBuffer();
  const at = hnswEfAt(bytes);
  return { efConstruction: bytes.readInt32LE(at), efSearch: bytes.readInt32LE(at + 4) };
}

/** Reads back (for tests): IVF nprobe. */
export function nprobeOf(index: FaissHandle): number {
  const bytes = index.toBuffer();
  const nlistAt = METRIC_AT + 4 + (bytes.readInt32LE(METRIC_AT) > 1 ? 4 : 0);
  return Number(bytes.readBigUInt64LE(nlistAt + 8));
}

function expectFourcc(bytes: Buffer, fourcc: string, name: string): void {
  const found = bytes.subarray(0, 4).toString('latin1');
  if (found !== fourcc) throw new Error(`expected a serialized ${name} (${fourcc}), got "${found}"`);
}
