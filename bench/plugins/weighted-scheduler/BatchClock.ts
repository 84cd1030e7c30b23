import { performance } from 'node:perf_hooks';
import type { DeviceScheduler } from '../../../core/ports/DeviceScheduler.js';
import type { DeviceRun, InferenceDevice } from '../../../core/ports/InferenceDevice.js';

/** When one batch reached the scheduler, started and ended on its device. */
export interface BatchTimes {
  readonly batchId: number;
  readonly device: string;
  readonly tokens: number;
  readonly calledAt: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Times every batch across the scheduler and the device that ran it: the scheduler wrapper
 * notes when a batch arrives, the device wrapper when its run starts and ends. They meet on the
 * batch's `rows` array, which the scheduler hands to the device as it is.
 */
export class BatchClock {
  private readonly byRows = new Map<readonly Int32Array[], BatchTimes>();
  readonly batches: BatchTimes[] = [];

  wrapScheduler(inner: DeviceScheduler): DeviceScheduler {
    return {
      run: (batch) => {
        const longest = batch.rows.reduce((max, r) => Math.max(max, r.length), 0);
        const times: BatchTimes = { batchId: batch.id, device: '', tokens: batch.rows.length * longest, calledAt: performance.now(), startedAt: NaN, endedAt: NaN };
        this.byRows.set(batch.rows, times);
        this.batches.push(times);
        return inner.run(batch);
      },
      status: () => inner.status(),
      start: () => inner.start(),
      close: () => inner.close(),
    };
  }

  wrapDevice(inner: InferenceDevice): InferenceDevice {
    const clock = this.byRows;
    return {
      get spec() {
        return inner.spec;
      },
      async run(rows): Promise<DeviceRun> {
        const times = clock.get(rows);
        const startedAt = performance.now();
        const run = await inner.run(rows);
        // Warm-up batches never passed the scheduler; a re-run after a failure overwrites the failed one.
        if (times) Object.assign(times, { device: inner.spec.id, startedAt, endedAt: performance.now() });
        return run;
      },
      start: () => inner.start(),
      terminate: (worker) => inner.terminate(worker),
      stop: () => inner.stop(),
    };
  }
}
