import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the pool holds right now, read at scrape time. */
export interface PoolOccupancy {
  readonly heldBytes: number;
  readonly inUseBytes: number;
}

/** Acquire times span a Map lookup (about a microsecond) to a fresh multi-megabyte allocation. */
const ALLOCATION_BUCKETS = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2];

/**
 * The pool's Prometheus metrics on a Registry of its own (bound to METRICS_REGISTRY, so
 * `/metrics` serves it). Byte gauges are read when scraped, so batches pay nothing for them.
 *
 * @example
 * const metrics = new MemoryPoolMetrics();
 * metrics.watch(() => ({ heldBytes: 1024, inUseBytes: 512 }));
 * await metrics.registry.metrics(); // ... embedline_memory_pool_fragmentation_ratio 0.5
 */
export class MemoryPoolMetrics {
  readonly registry = new Registry();
  private occupancy: () => PoolOccupancy = () => ({ heldBytes: 0, inUseBytes: 0 });

  private readonly hits = new Counter({ name: 'embedline_memory_pool_hits_total', help: 'Batch buffers served from the pool.', registers: [this.registry] });
  private readonly misses = new Counter({ name: 'embedline_memory_pool_misses_total', help: 'Batch buffers the pool had to allocate.', registers: [this.registry] });
  private readonly evictions = new Counter({ name: 'embedline_memory_pool_evictions_total', help: 'Idle buffers freed to stay within the byte budget.', registers: [this.registry] });
  private readonly allocation = new Histogram({ name: 'embedline_memory_pool_allocation_seconds', help: 'Time to hand out the buffers for one batch (hit or miss).', buckets: ALLOCATION_BUCKETS, registers: [this.registry] });

  constructor() {
    const read = (): PoolOccupancy => this.occupancy();
    new Gauge({ name: 'embedline_memory_pool_bytes_held', help: 'Bytes the pool holds: idle buffers plus lent ones.', registers: [this.registry], collect() { this.set(read().heldBytes); } });
    new Gauge({ name: 'embedline_memory_pool_bytes_in_use', help: 'Bytes the batches in flight actually need (rows x seqLen cells, not buffer capacity).', registers: [this.registry], collect() { this.set(read().inUseBytes); } });
    new Gauge({
      name: 'embedline_memory_pool_fragmentation_ratio',
      help: '(held - in use) / held: idle buffers plus capacity rounding, as a share of what is held.',
      registers: [this.registry],
      collect() {
        const { heldBytes, inUseBytes } = read();
        this.set(heldBytes === 0 ? 0 : (heldBytes - inUseBytes) / heldBytes);
      },
    });
  }

  /** Where the byte gauges read from; the allocator registers itself. */
  watch(occupancy: () => PoolOccupancy): void {
    this.occupancy = occupancy;
  }

  recordAcquire(hit: boolean, seconds: number): void {
    (hit ? this.hits : this.misses).inc();
    this.allocation.observe(seconds);
  }

  recordEvictions(count: number): void {
    if (count > 0) this.evictions.inc(count);
  }
}
