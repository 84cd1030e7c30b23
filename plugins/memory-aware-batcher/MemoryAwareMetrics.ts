import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const MiB = 1024 * 1024;

/**
 * The memory-aware former's Prometheus metrics on a Registry of its own (bound to METRICS_REGISTRY).
 *
 * @example
 * const metrics = new MemoryAwareMetrics(256 * 1024 * 1024);
 * metrics.formed(80_000_000, false, false);
 */
export class MemoryAwareMetrics {
  readonly registry = new Registry();
  private readonly estimated = new Histogram({
    name: 'embedline_memory_aware_batch_estimated_bytes',
    help: 'Estimated peak activation bytes of each formed batch.',
    buckets: [1, 4, 16, 32, 64, 128, 256, 512, 1024, 2048].map((m) => m * MiB),
    registers: [this.registry],
  });
  private readonly capped = new Counter({ name: 'embedline_memory_aware_batch_capped_total', help: 'Batches that stopped growing because the next text would have passed the memory budget.', registers: [this.registry] });
  private readonly oversize = new Counter({ name: 'embedline_memory_aware_batch_oversize_total', help: 'Single texts whose estimate alone passes the budget (sent alone: a text cannot be split).', registers: [this.registry] });

  constructor(batchBudgetBytes: number) {
    new Gauge({ name: 'embedline_memory_aware_batch_budget_bytes', help: 'Activation bytes one batch may use (device budget / concurrent batches).', registers: [this.registry] }).set(batchBudgetBytes);
  }

  formed(bytes: number, capped: boolean, oversize: boolean): void {
    this.estimated.observe(bytes);
    if (capped) this.capped.inc();
    if (oversize) this.oversize.inc();
  }
}
