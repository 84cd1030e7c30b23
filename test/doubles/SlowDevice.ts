import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceRun, InferenceDevice } from '../../plugins/weighted-scheduler/InferenceDevice.js';

/**
 * A real device made slower by a fixed factor: it stands in for a slower accelerator, which
 * this machine (one kind of CPU core, no GPU) does not have. After each real run it holds the
 * device for `extraFactor` × that run's own time before answering, as a device running at
 * 1 / (1 + extraFactor) of the speed would. Used by the weighted-scheduler tests and benchmark.
 */
export class SlowDevice implements InferenceDevice {
  constructor(private readonly inner: InferenceDevice, private readonly extraFactor: number) {}

  get spec(): InferenceDevice['spec'] {
    return this.inner.spec;
  }

  async run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    const started = performance.now();
    const run = await this.inner.run(rows);
    await sleep((performance.now() - started) * this.extraFactor);
    return run;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  terminate(): Promise<void> {
    return this.inner.terminate();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
