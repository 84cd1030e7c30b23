import type { BatchBuffers, TensorAllocator } from '../../../core/ports/TensorAllocator.js';
import type { Occupancy } from './occupancy.js';

/**
 * Wraps the allocator under test: times every `acquire` (what a batch waits for its buffers)
 * and, right after it, samples held vs needed bytes for the fragmentation figure
 * (held − needed) / held, averaged over all acquires in the window: the state at the moments
 * memory is asked for.
 */
export class MeasuringAllocator implements TensorAllocator {
  private acquireNs: number[] = [];
  private fragmentation: number[] = [];
  private wastedBytes: number[] = [];
  private peakHeld = 0;

  constructor(private readonly inner: TensorAllocator, private readonly occupancy: Occupancy) {}

  acquire(cells: number): BatchBuffers {
    const started = process.hrtime.bigint();
    const buffers = this.inner.acquire(cells);
    this.acquireNs.push(Number(process.hrtime.bigint() - started));
    this.occupancy.onAcquire(cells);
    this.sample();
    return buffers;
  }

  release(buffers: BatchBuffers): void {
    this.occupancy.onRelease(buffers);
    this.inner.release(buffers);
  }

  /** Clears the figures, so they cover only what follows. */
  startWindow(): void {
    this.acquireNs = [];
    this.fragmentation = [];
    this.wastedBytes = [];
    this.peakHeld = 0;
  }

  endWindow(): { readonly acquireNs: readonly number[]; readonly meanFragmentation: number; readonly meanWastedBytes: number; readonly peakHeldBytes: number } {
    return { acquireNs: this.acquireNs, meanFragmentation: mean(this.fragmentation), meanWastedBytes: mean(this.wastedBytes), peakHeldBytes: this.peakHeld };
  }

  private sample(): void {
    const held = this.occupancy.held();
    this.peakHeld = Math.max(this.peakHeld, held);
    if (held === 0) return;
    const wasted = held - this.occupancy.needed();
    this.fragmentation.push(wasted / held);
    this.wastedBytes.push(wasted);
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
