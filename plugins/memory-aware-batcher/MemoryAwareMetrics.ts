import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MemoryBudget } from '../../core/ports/MemoryBudget.js';

const MiB = 1024 * 1024;

/**
 * The memory-aware former's Prometheus metrics on a Registry of its own (bound to
 * METRICS_REGISTRY), and what the memory port holds (device limits, batches in flight, the
 * memory pool's bytes), read at scrape time.
 *
 * @example
 * const metrics = new MemoryAwareMetrics(memory);
 * metrics.formed(80_000_000, 268_435_456, false, false);
 */
export class MemoryAwareMetrics {
  readonly registry = new Registry();
  private readonly estimated = new Histogram({
    name: 'embedline_memory_aware_batch_estimated_bytes',
    help: 'Estimated peak activation bytes of each formed batch.',
    buckets: [1, 4, 16, 32, 64, 128, 256, 512, 1024, 2048].map((m) => m * MiB),
    registers: [this.registry],
  });
  private readonly budget = new Gauge({ name: 'embedline_memory_aware_batch_budget_bytes', help: 'Activation bytes the last formed batch could use: the smallest device share (device limit / concurrent batches) for its model variant.', registers: [this.registry] });
  private readonly capped = new Counter({ name: 'embedline_memory_aware_batch_capped_total', help: 'Batches that stopped growing because the next text would have passed the memory budget.', registers: [this.registry] });
  private readonly oversize = new Counter({ name: 'embedline_memory_aware_batch_oversize_total', help: 'Single texts whose estimate alone passes the budget (sent alone: a text cannot be split).', registers: [this.registry] });

  constructor(memory: MemoryBudget, initialBudgetBytes = 0) {
    this.budget.set(initialBudgetBytes);
    new Gauge({
      name: 'embedline_memory_budget_device_limit_bytes',
      help: 'Activation bytes a device may use at once, and where that figure came from (source).',
      labelNames: ['device', 'source'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [device, m] of memory.devices()) this.set({ device, source: m.limitSource }, m.limitBytes);
      },
    });
    new Gauge({
      name: 'embedline_memory_budget_device_in_flight_bytes',
      help: 'Estimated peak activation bytes of the batches a device runs or holds now.',
      labelNames: ['device'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [device, m] of memory.devices()) this.set({ device }, m.inFlightBytes);
      },
    });
    new Gauge({
      name: 'embedline_memory_budget_device_peak_in_flight_bytes',
      help: 'The most estimated activation bytes a device has had in flight at once since start.',
      labelNames: ['device'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [device, m] of memory.devices()) this.set({ device }, m.peakInFlightBytes);
      },
    });
    new Gauge({
      name: 'embedline_memory_budget_reported_bytes',
      help: 'Host bytes each reporter (memory-pool: buffers it holds) last reported into the memory port.',
      labelNames: ['reporter'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reporter, bytes] of memory.snapshot()) this.set({ reporter }, bytes);
      },
    });
  }

  formed(bytes: number, budgetBytes: number, capped: boolean, oversize: boolean): void {
    this.estimated.observe(bytes);
    this.budget.set(budgetBytes);
    if (capped) this.capped.inc();
    if (oversize) this.oversize.inc();
  }
}
