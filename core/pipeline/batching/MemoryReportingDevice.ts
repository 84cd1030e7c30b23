import type { DeviceRun, InferenceDevice, InferenceDeviceSpec } from '../../ports/InferenceDevice.js';
import type { DeviceMemory, MemoryBudget } from '../../ports/MemoryBudget.js';

/** What a device's memory reporting needs: a batch's estimated peak bytes, and the device's limit. */
export interface DeviceMemoryModel {
  /** Estimated peak activation bytes of a batch of `rows` texts padded to `seqLen`. */
  estimate(rows: number, seqLen: number): number;
  /** The device's activation limit and where it came from, resolved when it starts. */
  limit(spec: InferenceDeviceSpec): Promise<Pick<DeviceMemory, 'limitBytes' | 'limitSource'>>;
}

/**
 * Wraps an inference device so it reports into the memory port: its limit when it starts, and
 * the estimated peak of the batches it runs whenever that changes. A device runs batches on its
 * `workers` sessions in the order they came and queues the rest (InferenceDevice.run), so the
 * running ones are the oldest `workers` of those not finished (failed ones included); waiting
 * batches hold only their inputs and are not counted. Everything else is the wrapped device's.
 *
 * @example
 * const device = new MemoryReportingDevice(factory(spec), budget, memoryModel);
 * await device.start(); // budget.devices().get(spec.id).limitBytes is set
 */
export class MemoryReportingDevice implements InferenceDevice {
  /** Estimated bytes of every batch handed over and not finished, oldest first. */
  private readonly held: { readonly bytes: number }[] = [];

  constructor(
    private readonly inner: InferenceDevice,
    private readonly budget: MemoryBudget,
    private readonly memory: DeviceMemoryModel,
  ) {}

  get spec(): InferenceDeviceSpec {
    return this.inner.spec;
  }

  async start(): Promise<void> {
    await this.inner.start();
    const { limitBytes, limitSource } = await this.memory.limit(this.spec);
    this.budget.deviceStarted(this.spec.id, { variant: this.spec.variant, limitBytes, limitSource, sessions: this.spec.workers });
  }

  async run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    const seqLen = rows.reduce((max, r) => Math.max(max, r.length), 0);
    const entry = { bytes: this.memory.estimate(rows.length, seqLen) };
    this.held.push(entry);
    this.reportRunning();
    try {
      return await this.inner.run(rows);
    } finally {
      this.held.splice(this.held.indexOf(entry), 1);
      this.reportRunning();
    }
  }

  private reportRunning(): void {
    let bytes = 0;
    for (const entry of this.held.slice(0, this.spec.workers)) bytes += entry.bytes;
    this.budget.deviceRunning(this.spec.id, bytes);
  }

  terminate(worker?: number): Promise<void> {
    return this.inner.terminate(worker);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
