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

/** FAISS's HNSW defaults as serialized after the graph of an empty index: entry_point -1, max_level -1, efConstruction 40, efSearch 16. */
const EMPTY_HNSW_TAIL = Buffer.from([-1, -1, 40, 16].flatMap((n) => [...int32(n)]));

/** An empty HNSW index with the given candidate-list sizes (before any vector is added). */
export function withHnswEf(faiss: FaissModule, index: FaissHandle, ef: { efConstruction: number; efSearch: number }): FaissHandle {
  if (index.ntotal() !== 0) throw new Error('HNSW parameters are set on an empty index only');
  const bytes = Buffer.from(index.toBuffer());
  expectFourcc(bytes, 'IHNf', 'IndexHNSWFlat');
  const at = bytes.indexOf(EMPTY_HNSW_TAIL);
  if (at < 0 || bytes.indexOf(EMPTY_HNSW_TAIL, at + 1) >= 0) throw new Error('unexpected IndexHNSWFlat layout: the default efConstruction/efSearch fields were not found exactly once');
  bytes.writeInt32LE(ef.efConstruction, at + 8);
  bytes.writeInt32LE(ef.efSearch, at + 12);
  return faiss.Index.fromBuffer(bytes);
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

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
}
