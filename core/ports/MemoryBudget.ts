import type { ServiceIdentifier } from 'inversify';
import type { ModelVariant } from '../model/variants.js';

/** What one device has told the memory port: its limit, where that came from, and what it runs now. */
export interface DeviceMemory {
  readonly variant: ModelVariant;
  /** Bytes the device may spend on batch activations at once. */
  readonly limitBytes: number;
  /** Where `limitBytes` came from, e.g. `configured budgetBytes`, `nvidia-smi memory.total × 0.8`. */
  readonly limitSource: string;
  /** Batches the device runs at once (its sessions): each may use `limitBytes / sessions`. */
  readonly sessions: number;
  /** Estimated peak activation bytes of the batches it runs now (not those waiting for a session: they hold only their inputs). */
  readonly inFlightBytes: number;
  /** The most `inFlightBytes` has been. */
  readonly peakInFlightBytes: number;
}

/**
 * Where devices and the memory pool report the bytes they hold, and where the batcher and the
 * memory-aware former read them. Host-side reporters (`report`: the memory pool's held bytes)
 * replace their previous figure; devices announce their limit once they start (`deviceStarted`)
 * and the estimated peak of the batches it runs at each change (`deviceRunning`).
 * `inUse` sums the reporters and every device's batches in flight. Core binds an in-memory
 * implementation (InMemoryBudget); which devices report depends on who estimates a batch's
 * memory (memory-aware-batcher wraps the devices to do so).
 *
 * @example
 * budget.report('memory-pool', pool.heldBytes);
 * budget.deviceStarted('cpu-0', { variant: 'fp32', limitBytes: 1 << 30, limitSource: 'configured budgetBytes', sessions: 2 });
 * budget.deviceRunning('cpu-0', 57_000_000);
 * budget.inUse(); // the pool's bytes + 57 MB
 */
export interface MemoryBudget {
  report(reporter: string, bytesInUse: number): void;
  inUse(): number;
  /** Each reporter's last figure. */
  snapshot(): ReadonlyMap<string, number>;
  deviceStarted(device: string, memory: Pick<DeviceMemory, 'variant' | 'limitBytes' | 'limitSource' | 'sessions'>): void;
  /** The estimated peak bytes of the batches `device` runs now (replaces its previous figure). */
  deviceRunning(device: string, estimatedBytes: number): void;
  devices(): ReadonlyMap<string, DeviceMemory>;
}

export const MEMORY_BUDGET: ServiceIdentifier<MemoryBudget> = Symbol.for('embedline.MemoryBudget');
