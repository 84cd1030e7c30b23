import type { ModelVariant } from '../../core/model/variants.js';
import type { MemoryBudget } from '../../core/ports/MemoryBudget.js';

/** One batch's budget and the device whose share set it. */
export interface BatchBudget {
  readonly bytes: number;
  /** The device whose share is the smallest, or `configured` before any device has started. */
  readonly device: string;
}

/**
 * What one batch of a model variant may use: the smallest share among the started devices that
 * run that variant, a device's share being its limit over the batches it runs at once
 * (`concurrentBatches`, else its sessions). The smallest, because the scheduler picks the device
 * after the batch is formed: a batch within every device's share fits wherever it goes. Before
 * any device has reported (the first batch starts the devices), `budgetBytes / concurrentBatches
 * or encoder.workers`.
 *
 * @example
 * new DeviceBatchBudget(memory, { budgetBytes: 1 << 30, workers: 2 }).for('fp32'); // { bytes: 536870912, device: 'cpu-fp32' }
 */
export class DeviceBatchBudget {
  constructor(
    private readonly memory: MemoryBudget,
    private readonly fallback: { readonly budgetBytes: number; readonly workers: number; readonly concurrentBatches?: number | undefined },
  ) {}

  for(variant: ModelVariant): BatchBudget {
    let best: BatchBudget | undefined;
    for (const [device, memory] of this.memory.devices()) {
      if (memory.variant !== variant) continue;
      const bytes = Math.floor(memory.limitBytes / (this.fallback.concurrentBatches ?? memory.sessions));
      if (!best || bytes < best.bytes) best = { bytes, device };
    }
    return best ?? { bytes: Math.floor(this.fallback.budgetBytes / (this.fallback.concurrentBatches ?? this.fallback.workers)), device: 'configured' };
  }
}
