import type { DeviceRun, InferenceDevice } from '../../core/ports/InferenceDevice.js';

/** A real device with `run` changed by a subclass (slower, crashing); everything else passes through. */
export abstract class WrappedDevice implements InferenceDevice {
  constructor(protected readonly inner: InferenceDevice) {}

  get spec(): InferenceDevice['spec'] {
    return this.inner.spec;
  }

  abstract run(rows: readonly Int32Array[]): Promise<DeviceRun>;

  start(): Promise<void> {
    return this.inner.start();
  }

  terminate(worker?: number): Promise<void> {
    return this.inner.terminate(worker);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
