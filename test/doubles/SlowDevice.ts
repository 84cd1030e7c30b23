import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceRun, InferenceDevice } from '../../core/ports/InferenceDevice.js';
import { WrappedDevice } from './WrappedDevice.js';

/**
 * A real device made slower by a fixed factor: it stands in for a slower accelerator, which
 * this machine (one kind of CPU core, no GPU) does not have. After each real run it holds the
 * device for `extraFactor` × that run's own time before answering, as a device running at
 * 1 / (1 + extraFactor) of the speed would. Used by the weighted-scheduler tests and benchmark.
 */
export class SlowDevice extends WrappedDevice {
  constructor(inner: InferenceDevice, private readonly extraFactor: number) {
    super(inner);
  }

  async run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    const started = performance.now();
    const run = await this.inner.run(rows);
    await sleep((performance.now() - started) * this.extraFactor);
    return run;
  }
}
