import type { DeviceRun, InferenceDevice, InferenceDeviceSpec } from '../../core/ports/InferenceDevice.js';
import type { ManualClock } from './ManualClock.js';

/** Padded tokens per second a simulated device runs at, by virtual time (ms on its ManualClock). */
export type SpeedProfile = (nowMs: number) => number;

/**
 * A device whose batches take a known time on a ManualClock: rows × longest row padded tokens
 * at the profile's speed when the batch starts, one batch at a time. It stands in for GPUs of
 * different (and changing) speed, which this machine does not have, so that the scheduler's
 * balance can be checked exactly and without measuring the machine. Its vectors are zeros:
 * tests using it check where work went and when, never what was computed.
 */
export class SimulatedDevice implements InferenceDevice {
  /** [start, end) virtual ms of every batch this device ran (probes included), for busy-time checks. */
  readonly runs: { readonly startedAt: number; readonly endedAt: number; readonly tokens: number }[] = [];

  constructor(readonly spec: InferenceDeviceSpec, private readonly clock: ManualClock, private readonly speed: SpeedProfile) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    const startedAt = this.clock.now();
    const tokens = rows.length * rows.reduce((max, r) => Math.max(max, r.length), 0);
    const ms = (tokens / this.speed(startedAt)) * 1000;
    return new Promise((resolve) => {
      this.clock.after(ms, () => {
        this.runs.push({ startedAt, endedAt: this.clock.now(), tokens });
        resolve({ vectors: new Float32Array(rows.length * 384), inferMs: ms, poolMs: 0, worker: 0 });
      });
    });
  }

  terminate(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
