import { ContainerModule } from 'inversify';
import { DEVICE_SCHEDULER, type DeviceScheduler } from '../../../core/ports/DeviceScheduler.js';

/** One batch the production batcher handed to the device scheduler, as the bench saw it. */
export interface RecordedBatch {
  /** Word pieces of each row (the batch is padded to the longest). */
  readonly rows: readonly number[];
  /** performance.now() when the batch was handed to the scheduler and when its result came back. */
  readonly handedOverAt: number;
  readonly doneAt: number;
  /** The worker's own timings: around session.run, and mean-pool + normalize. */
  readonly inferMs: number;
  readonly poolMs: number;
}

/**
 * Watches the production runtime's batches without changing them: an activation hook wraps
 * whatever device scheduler the container resolves (the default or a plugin's) and records each
 * batch's row lengths and timings, so the bench reports what production actually ran.
 *
 * @example
 * const recorder = new BatchRecorder();
 * const runtime = await startEmbedline(config, PLUGIN_CATALOGUE, [recorder.module()]);
 */
export class BatchRecorder {
  private recorded: RecordedBatch[] = [];

  module(): ContainerModule {
    return new ContainerModule(({ onActivation }) => {
      onActivation(DEVICE_SCHEDULER, (_context, scheduler) => this.wrap(scheduler));
    });
  }

  /** The batches since the last call, and starts a new record. */
  take(): RecordedBatch[] {
    const batches = this.recorded;
    this.recorded = [];
    return batches;
  }

  private wrap(inner: DeviceScheduler): DeviceScheduler {
    return {
      start: () => inner.start(),
      close: () => inner.close(),
      status: () => inner.status(),
      run: async (batch) => {
        const handedOverAt = performance.now();
        const outcome = await inner.run(batch);
        this.recorded.push({ rows: batch.rows.map((r) => r.length), handedOverAt, doneAt: performance.now(), inferMs: outcome.inferMs, poolMs: outcome.poolMs });
        return outcome;
      },
    };
  }
}
