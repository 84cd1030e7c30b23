import type { DeviceRun, InferenceDevice } from '../../core/ports/InferenceDevice.js';
import { WrappedDevice } from './WrappedDevice.js';

/**
 * A real device whose worker thread exits while its `crashOnRun`-th run (warm-up runs
 * included) is assigned to it: a device dying mid-batch, on cue, which a real device cannot be
 * made to do at a chosen moment. The kill is real: the thread ends and its batch fails with
 * EMBEDLINE_WORKER_CRASHED, exactly as when a session or driver takes the thread down.
 */
export class CrashingDevice extends WrappedDevice {
  runs = 0;
  crashes = 0;

  constructor(inner: InferenceDevice, private readonly crashOnRun: number) {
    super(inner);
  }

  run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    this.runs++;
    if (this.runs === this.crashOnRun) {
      // The exit request reaches the thread ahead of this batch, so the thread dies holding it.
      this.crashes++;
      void this.inner.terminate();
    }
    return this.inner.run(rows);
  }
}
