import type { ServiceIdentifier } from 'inversify';
import type { BatchOutcome, TokenBatch } from '../pipeline/types.js';

export interface DeviceStatus {
  readonly id: string;
  readonly kind: 'cpu' | 'webgpu' | 'cuda';
  readonly variant: string;
  /** `probing`: starting or running its warm-up batch; `unavailable`: auto-detected, could not start here. */
  readonly state: 'ready' | 'busy' | 'quarantined' | 'probing' | 'unavailable';
  readonly queuedBatches: number;
  /** Padded tokens assigned and not yet finished, where the scheduler tracks them. */
  readonly queuedTokens?: number | undefined;
  /** Measured throughput (padded tokens/s, smoothed), where the scheduler measures it. */
  readonly tokensPerSecond?: number | undefined;
}

/**
 * Chooses the inference device (a session on a worker thread) for each batch. The default
 * runs everything on the CPU worker pool; the weighted scheduler spreads batches over devices
 * by measured speed and re-runs a failed device's batch elsewhere.
 *
 * @example
 * const outcome = await scheduler.run({ id: 7, variant: 'fp32', rows, priority: 'normal' });
 */
export interface DeviceScheduler {
  run(batch: TokenBatch): Promise<BatchOutcome>;
  status(): readonly DeviceStatus[];
  /** Loads sessions; the pipeline reports ready only after this resolves. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export const DEVICE_SCHEDULER: ServiceIdentifier<DeviceScheduler> = Symbol.for('embedline.DeviceScheduler');
