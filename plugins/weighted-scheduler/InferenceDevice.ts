import type { ServiceIdentifier } from 'inversify';
import type { ModelVariant } from '../../core/model/modelInfo.js';
import type { DeviceProvider } from './config.js';

/** A device as configured or auto-detected, with its variant settled. */
export interface ResolvedDevice {
  readonly id: string;
  readonly provider: DeviceProvider;
  readonly intraOpThreads: number;
  readonly variant: ModelVariant;
  /** Auto-detected accelerators are dropped when they cannot start; configured ones are retried. */
  readonly detected: boolean;
}

/** Unit vectors for one batch, as the worker returned them. */
export interface DeviceRun {
  readonly vectors: Float32Array;
  readonly inferMs: number;
  readonly poolMs: number;
}

/**
 * One inference session on its own worker thread. The scheduler runs one batch at a time on
 * it and keeps its queue itself, so what a device has waiting is always known.
 *
 * @example
 * const device = factory({ id: 'cpu-0', provider: 'cpu', intraOpThreads: 1, variant: 'fp32', detected: true });
 * await device.start();
 * const { vectors } = await device.run([ids]);
 * await device.stop();
 */
export interface InferenceDevice {
  readonly spec: ResolvedDevice;
  /** Loads the session; rejects when the provider cannot run here (no adapter, no library). */
  start(): Promise<void>;
  run(rows: readonly Int32Array[]): Promise<DeviceRun>;
  /** Ends the device's thread as if it had crashed, failing the batch it runs (fault drills). */
  terminate(): Promise<void>;
  stop(): Promise<void>;
}

export type DeviceFactory = (spec: ResolvedDevice) => InferenceDevice;

/** Builds devices; tests and benchmarks wrap it (`onActivation`) to add latency or faults. */
export const DEVICE_FACTORY: ServiceIdentifier<DeviceFactory> = Symbol.for('embedline.plugins.weightedScheduler.DeviceFactory');
