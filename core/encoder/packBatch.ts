import type { BatchBuffers, TensorAllocator } from '../ports/TensorAllocator.js';

/** A batch ready for ONNX Runtime: right-padded int64 tensors sized to its longest row. */
export interface PackedBatch {
  readonly rows: number;
  readonly seqLen: number;
  readonly lengths: Int32Array;
  readonly buffers: BatchBuffers;
}

/**
 * Writes rows into allocator buffers, padding to the batch's longest row rather than a fixed
 * length. Reused buffers may hold an earlier batch's values, so every cell in range is written.
 */
export function packBatch(rows: readonly Int32Array[], allocator: TensorAllocator): PackedBatch {
  const lengths = Int32Array.from(rows, (r) => r.length);
  const seqLen = lengths.reduce((max, n) => Math.max(max, n), 0);
  const cells = rows.length * seqLen;
  const buffers = allocator.acquire(cells);
  // int64 cells written as two int32 words (little-endian, ids are non-negative): BigInt
  // conversion per cell cost ~10× more and ran on the event loop.
  const ids32 = int32View(buffers.inputIds, cells);
  const mask32 = int32View(buffers.attentionMask, cells);
  ids32.fill(0);
  mask32.fill(0);
  for (let r = 0; r < rows.length; r++) {
    const ids = rows[r]!;
    const base = 2 * r * seqLen;
    for (let t = 0; t < ids.length; t++) {
      ids32[base + 2 * t] = ids[t]!;
      mask32[base + 2 * t] = 1;
    }
  }
  const { tokenTypeIds } = buffers;
  tokenTypeIds.fill(0n, 0, cells);
  return { rows: rows.length, seqLen, lengths, buffers };
}

function int32View(array: BigInt64Array, cells: number): Int32Array {
  return new Int32Array(array.buffer, array.byteOffset, cells * 2);
}

/** Fresh zeroed arrays per batch: the default when no memory pool is enabled. */
export class PlainAllocator implements TensorAllocator {
  acquire(cells: number): BatchBuffers {
    return { inputIds: new BigInt64Array(cells), attentionMask: new BigInt64Array(cells), tokenTypeIds: new BigInt64Array(cells) };
  }

  release(): void {}
}
