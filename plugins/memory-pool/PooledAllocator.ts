import { performance } from 'node:perf_hooks';
import type { BatchBuffers, TensorAllocator } from '../../core/ports/TensorAllocator.js';
import { capacityClass } from './capacityClass.js';
import type { MemoryPoolConfig } from './config.js';
import type { MemoryPoolMetrics, PoolOccupancy } from './MemoryPoolMetrics.js';
import { PoolLeaseError } from './PoolLeaseError.js';

interface Lease {
  readonly capacity: number;
  readonly bytes: number;
  /** What the batch asked for (cells × bytes per cell), as opposed to the class capacity. */
  readonly neededBytes: number;
}

interface IdleEntry {
  readonly capacity: number;
  readonly bytes: number;
}

export interface PoolStats extends PoolOccupancy {
  readonly idleBuffers: number;
  readonly lentBuffers: number;
  readonly hits: number;
  readonly misses: number;
}

const INPUT_BYTES_PER_CELL = 3 * BigInt64Array.BYTES_PER_ELEMENT;

/**
 * Reuses batch buffers across batches. Buffers are grouped in capacity classes of rows × seqLen
 * cells; a batch gets an idle buffer set of its class or a new one. Every hand-out is a lease
 * with its own id: `release` accepts each lease once, so one buffer never serves two batches at
 * once, and buffers that come back detached (their worker died holding them) are dropped, not
 * reused. Held bytes stay within `maxBytes` by freeing the least recently used idle buffers.
 *
 * @example
 * const pool = new PooledAllocator(memoryPoolConfigSchema.parse({}), new MemoryPoolMetrics(), 384);
 * const buffers = pool.acquire(32 * 40); // ... transferred to the worker and back ...
 * pool.release(returnedBuffers);
 */
export class PooledAllocator implements TensorAllocator {
  /** Idle buffer sets in release order, oldest first: the front is what LRU frees. */
  private readonly idle = new Map<BatchBuffers, IdleEntry>();
  /** Idle buffer sets per capacity, most recently released last (handed out first). */
  private readonly idleByClass = new Map<number, BatchBuffers[]>();
  private readonly lent = new Map<number, Lease>();
  private nextLeaseId = 1;
  private heldBytes = 0;
  private inUseBytes = 0;
  private hits = 0;
  private misses = 0;
  private readonly hiddenFloatsPerCell: number;

  constructor(
    private readonly config: MemoryPoolConfig,
    private readonly metrics: MemoryPoolMetrics,
    hiddenSize: number,
    /** Called with the bytes held (lent included) whenever they may have changed: the memory port's `report`. */
    private readonly reportHeld: (heldBytes: number) => void = () => undefined,
  ) {
    this.hiddenFloatsPerCell = config.preallocateOutputs ? hiddenSize : 0;
    metrics.watch(() => ({ heldBytes: this.heldBytes, inUseBytes: this.inUseBytes }));
  }

  acquire(cells: number): BatchBuffers {
    const started = performance.now();
    const capacity = capacityClass(cells, this.config.classesPerDoubling, this.config.minCells);
    const reused = this.takeIdle(capacity);
    const buffers = reused ?? this.allocate(capacity);
    const leaseId = this.nextLeaseId++;
    const neededBytes = cells * this.bytesPerCell;
    this.lent.set(leaseId, { capacity, bytes: this.bytesFor(capacity), neededBytes });
    this.inUseBytes += neededBytes;
    if (reused) this.hits++;
    else this.misses++;
    this.metrics.recordAcquire(reused !== undefined, (performance.now() - started) / 1000);
    this.reportHeld(this.heldBytes);
    // A fresh wrapper per lease: an old holder releasing its stale copy is caught by the id.
    return { ...buffers, leaseId };
  }

  release(buffers: BatchBuffers): void {
    const { leaseId } = buffers;
    const lease = leaseId === undefined ? undefined : this.lent.get(leaseId);
    if (!lease) throw new PoolLeaseError(leaseId === undefined ? 'Released buffers the pool never lent' : 'Released a lease that is not out: released twice, or never lent', leaseId);
    this.lent.delete(leaseId!);
    this.inUseBytes -= lease.neededBytes;
    if (!this.isIntact(buffers, lease.capacity)) {
      // Transferred away and never returned: that memory is gone, so stop counting it.
      this.heldBytes -= lease.bytes;
      this.reportHeld(this.heldBytes);
      return;
    }
    this.idle.set(buffers, { capacity: lease.capacity, bytes: lease.bytes });
    this.classStack(lease.capacity).push(buffers);
    this.trimToBudget();
    this.reportHeld(this.heldBytes);
  }

  stats(): PoolStats {
    return { heldBytes: this.heldBytes, inUseBytes: this.inUseBytes, idleBuffers: this.idle.size, lentBuffers: this.lent.size, hits: this.hits, misses: this.misses };
  }

  private get bytesPerCell(): number {
    return INPUT_BYTES_PER_CELL + this.hiddenFloatsPerCell * Float32Array.BYTES_PER_ELEMENT;
  }

  private bytesFor(capacity: number): number {
    return capacity * this.bytesPerCell;
  }

  private takeIdle(capacity: number): BatchBuffers | undefined {
    const buffers = this.idleByClass.get(capacity)?.pop();
    if (buffers) this.idle.delete(buffers);
    return buffers;
  }

  private allocate(capacity: number): BatchBuffers {
    this.heldBytes += this.bytesFor(capacity);
    const buffers: BatchBuffers = {
      inputIds: new BigInt64Array(capacity),
      attentionMask: new BigInt64Array(capacity),
      tokenTypeIds: new BigInt64Array(capacity),
      hiddenStates: this.hiddenFloatsPerCell > 0 ? new Float32Array(capacity * this.hiddenFloatsPerCell) : undefined,
    };
    this.trimToBudget();
    return buffers;
  }

  private isIntact(buffers: BatchBuffers, capacity: number): boolean {
    const inputsIntact = buffers.inputIds.length === capacity && buffers.attentionMask.length === capacity && buffers.tokenTypeIds.length === capacity;
    const outputIntact = this.hiddenFloatsPerCell === 0 || buffers.hiddenStates?.length === capacity * this.hiddenFloatsPerCell;
    return inputsIntact && outputIntact;
  }

  /** Frees least recently used idle buffers until the pool is within budget or has none idle. */
  private trimToBudget(): void {
    let evicted = 0;
    for (const [buffers, entry] of this.idle) {
      if (this.heldBytes <= this.config.maxBytes) break;
      this.idle.delete(buffers);
      const stack = this.classStack(entry.capacity);
      stack.splice(stack.indexOf(buffers), 1);
      this.heldBytes -= entry.bytes;
      evicted++;
    }
    this.metrics.recordEvictions(evicted);
  }

  private classStack(capacity: number): BatchBuffers[] {
    let stack = this.idleByClass.get(capacity);
    if (!stack) this.idleByClass.set(capacity, (stack = []));
    return stack;
  }
}
