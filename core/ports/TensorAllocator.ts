import type { ServiceIdentifier } from 'inversify';

/** Input buffers for one batch, sized at least rows × seqLen. */
export interface BatchBuffers {
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

/**
 * Supplies the int64 input buffers a batch needs. Buffers travel to the inference worker and
 * come back with the result, so a pooling allocator can reuse them; `release` hands them back.
 * The default allocates fresh zeroed arrays every time.
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
