import type { ServiceIdentifier } from 'inversify';
import type { ModelVariant } from '../model/variants.js';

/** ONNX Runtime execution providers a device may run on (`cuda` needs its provider libraries; docs/gpu.md). */
export const EXECUTION_PROVIDERS = ['cpu', 'webgpu', 'cuda'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** What one device is: where its sessions run, how many, and which model variant they load. */
export interface InferenceDeviceSpec {
  /** Names the device in metrics, status and errors. */
  readonly id: string;
  /** The preferred execution provider; ORT adds its CPU provider behind it for operators it lacks. */
  readonly provider: ExecutionProvider;
  /** Providers tried after `provider` for nodes it has no kernel for, in order (`encoder.executionProviders` after the first). */
  readonly fallbackProviders?: readonly ExecutionProvider[] | undefined;
  /** Sessions, one worker thread each, fed from the device's one queue. */
  readonly workers: number;
  /** ONNX Runtime intra-op threads per session. */
  readonly intraOpThreads: number;
  readonly variant: ModelVariant;
  /** Which GPU a `cuda` session uses (ORT's `device_id`; 0 when absent); ignored by other providers. */
  readonly deviceId?: number | undefined;
}

/** Unit vectors for one batch, as the session returned them, with what it took. */
export interface DeviceRun {
  readonly vectors: Float32Array;
  readonly inferMs: number;
  readonly poolMs: number;
  /** Which of the device's sessions ran it (0-based). */
  readonly worker: number;
}

/**
 * Inference sessions for one model variant on one execution provider. Both device schedulers
 * drive devices only through this port; the default implementation is core's
 * `WorkerPoolDevice` (worker threads, one ONNX Runtime session each).
 *
 * @example
 * const createDevice = await container.getAsync(INFERENCE_DEVICE_FACTORY);
 * const device = createDevice({ id: 'cuda-1', provider: 'cuda', deviceId: 1, workers: 1, intraOpThreads: 1, variant: 'gpu-fp16' });
 * await device.start();
 * const { vectors } = await device.run([ids]);
 * await device.stop();
 */
export interface InferenceDevice {
  readonly spec: InferenceDeviceSpec;
  /**
   * Loads the sessions; rejects with EMBEDLINE_CONFIG when the model directory lacks the
   * variant's file, EMBEDLINE_DEVICE_UNAVAILABLE when the provider cannot run here.
   * Starting a started device restarts it with fresh sessions.
   */
  start(): Promise<void>;
  /** Runs one batch on the next free session; batches beyond the free sessions wait in order. */
  run(rows: readonly Int32Array[]): Promise<DeviceRun>;
  /** Ends one session's thread as a crash would, failing only the batch it runs (fault drills). */
  terminate(worker?: number): Promise<void>;
  /** Fails batches still waiting, lets running ones finish, and ends the sessions. */
  stop(): Promise<void>;
}

export type InferenceDeviceFactory = (spec: InferenceDeviceSpec) => InferenceDevice;

/** Builds devices; tests and benchmarks wrap it (`onActivation`) to add latency or faults. */
export const INFERENCE_DEVICE_FACTORY: ServiceIdentifier<InferenceDeviceFactory> = Symbol.for('embedline.InferenceDeviceFactory');
