import type { ServiceIdentifier } from 'inversify';

/**
 * Where devices and the memory pool report the bytes they hold, and where the batcher reads
 * them. `report` replaces the reporter's previous figure; `inUse` sums every reporter.
 *
 * @example
 * budget.report('cpu-fp32-0', 182_000_000);
 * budget.report('memory-pool', pool.bytesHeld);
 * budget.inUse(); // 182 MB + the pool's bytes
 */
export interface MemoryBudget {
  report(reporter: string, bytesInUse: number): void;
  inUse(): number;
  /** Each reporter's last figure. */
  snapshot(): ReadonlyMap<string, number>;
}

export const MEMORY_BUDGET: ServiceIdentifier<MemoryBudget> = Symbol.for('embedline.MemoryBudget');
