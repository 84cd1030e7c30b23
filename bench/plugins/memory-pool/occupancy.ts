import type { BatchBuffers } from '../../../core/ports/TensorAllocator.js';
import type { PooledAllocator } from '../../../plugins/memory-pool/PooledAllocator.js';

/** Bytes an allocator holds for batch buffers, and bytes the batches in flight actually need. */
export interface Occupancy {
  held(): number;
  needed(): number;
  onAcquire(cells: number): void;
  onRelease(buffers: BatchBuffers): void;
}

const INPUT_BYTES_PER_CELL = 24;

/** The pool counts both itself: held = idle + lent buffers, needed = lent batches' cells. */
export function poolOccupancy(pool: PooledAllocator): Occupancy {
  return { held: () => pool.stats().heldBytes, needed: () => pool.stats().inUseBytes, onAcquire: () => {}, onRelease: () => {} };
}

/**
 * Without the pool, a batch's buffers are garbage once returned, but their memory stays held
 * until V8 collects them. Held = buffers in flight + returned ones not yet collected
 * (FinalizationRegistry tells when they are); needed = buffers in flight. The plain allocator
 * sizes buffers exactly, so a returned buffer's length is its batch's cell count.
 */
export function plainOccupancy(): Occupancy {
  let inFlight = 0;
  let awaitingGc = 0;
  const collected = new FinalizationRegistry<number>((bytes) => (awaitingGc -= bytes));
  return {
    held: () => inFlight + awaitingGc,
    needed: () => inFlight,
    onAcquire: (cells) => (inFlight += cells * INPUT_BYTES_PER_CELL),
    onRelease: (buffers) => {
      const bytes = buffers.inputIds.length * INPUT_BYTES_PER_CELL;
      inFlight -= bytes;
      awaitingGc += bytes;
      collected.register(buffers.inputIds, bytes);
    },
  };
}
