import type { ServiceIdentifier } from 'inversify';
import type { ModelVariant } from '../model/variants.js';
import type { BatchOutcome, TokenBatch } from '../pipeline/types.js';
import type { ExecutionProvider } from './InferenceDevice.js';

export interface DeviceStatus {
  readonly id: string;
  readonly kind: ExecutionProvider;
  readonly variant: ModelVariant;
  /**
   * `starting`: loading its sessions; `failed`: its start failed (see `reason`), the next batch
   * tries again; `busy`: running as many batches as it has sessions; `probing`: starting or
   * running its warm-up batch; `quarantined`: taken out after failures, probed again later;
   * `unavailable`: auto-detected, could not start here.
   */
  readonly state: 'starting' | 'ready' | 'busy' | 'failed' | 'quarantined' | 'probing' | 'unavailable';
  /** Why the device is not serving (`failed`, `quarantined`, `unavailable`): the error's code and message. */
  readonly reason?: string | undefined;
  /** Batches handed to the device and not finished: running or waiting for a session. */
  readonly queuedBatches: number;
  /** Padded tokens assigned and not yet finished, where the scheduler tracks them. */
  readonly queuedTokens?: number | undefined;
  /** Measured throughput (padded tokens/s, smoothed), where the scheduler measures it. */
  readonly tokensPerSecond?: number | undefined;
}

/**
 * Chooses the inference device (INFERENCE_DEVICE_FACTORY's devices) for each batch. The default
 * runs each model variant on one worker-pool device; the weighted scheduler spreads batches over devices
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
