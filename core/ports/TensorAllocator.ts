import type { ServiceIdentifier } from 'inversify';

/** Input buffers for one batch, sized at least rows × seqLen. */
export interface BatchBuffers {
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
  /**
   * Optional room for the model's hidden states (at least rows × seqLen × hidden size floats):
   * when present, the worker passes it to ONNX Runtime as a pre-allocated output (`fetches`).
   */
  readonly hiddenStates?: Float32Array | undefined;
  /**
   * Set by pooling allocators to recognise their buffers on `release`: the arrays that come back
   * from the worker are new objects over the transferred memory, so identity cannot be used.
   */
  readonly leaseId?: number | undefined;
}

/**
 * Supplies the int64 input buffers a batch needs. Buffers travel to the inference worker and
 * come back with the result, so a pooling allocator can reuse them; `release` hands them back.
 * If the worker dies with them, `release` receives the original, detached arrays (byteLength 0)
 * so the allocator can stop counting them. The default allocates fresh zeroed arrays every time.
 *
 * @example
 * const buffers = allocator.acquire(32 * 128);
 * // ... fill, run, receive back ...
 * allocator.release(buffers);
 */
export interface TensorAllocator {
  acquire(cells: number): BatchBuffers;
  release(buffers: BatchBuffers): void;
}

export const TENSOR_ALLOCATOR: ServiceIdentifier<TensorAllocator> = Symbol.for('embedline.TensorAllocator');
