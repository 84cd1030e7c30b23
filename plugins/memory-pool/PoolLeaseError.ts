import { EmbedlineError } from '../../core/errors.js';

/**
 * A release the pool cannot accept: buffers it never lent, or a lease released twice. Either
 * would let one buffer serve two batches at once, so it fails loudly instead of being pooled.
 */
export class PoolLeaseError extends EmbedlineError {
  constructor(message: string, readonly leaseId: number | undefined) {
    super('EMBEDLINE_INTERNAL', `${message} (memory-pool lease ${leaseId ?? 'none'}); this is a bug in the caller of TensorAllocator.release.`, { leaseId });
  }
}
