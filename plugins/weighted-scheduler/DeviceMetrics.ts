import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LANE_STATES, type LaneState } from './DeviceLane.js';

/** A device as the gauges read it at scrape time. */
export interface DeviceReading {
  readonly id: string;
  readonly state: LaneState;
  readonly tokensPerSecond: number;
  readonly queuedTokens: number;
}

const WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Per-device Prometheus metrics on the plugin's own Registry (bound to METRICS_REGISTRY).
 * Counters move with each batch; gauges are read from the devices when scraped.
 * `busy_seconds_total` adds each batch's run time on its device (failed runs too: the device
 * was occupied), so `rate()` of it is the device's utilisation, 0–1: the share of wall time it
 * had a batch running. It counts from the scheduler's side (dispatch to answer, thread hop
 * included), so it reads a little above what the GPU's own counters show.
 * `weight` is a device's share of the measured speed of all ready devices: the share of work
 * the weighted strategy aims to give it.
 *
 * @example
 * const metrics = new DeviceMetrics();
 * metrics.watch(() => [{ id: 'cpu-0', state: 'ready', tokensPerSecond: 9000, queuedTokens: 0 }]);
 */
export class DeviceMetrics {
  readonly registry = new Registry();
  private devices: () => readonly DeviceReading[] = () => [];

  private readonly batches = new Counter<'device'>({ name: 'embedline_device_batches_total', help: 'Batches a device completed.', labelNames: ['device'], registers: [this.registry] });
  private readonly errors = new Counter<'device'>({ name: 'embedline_device_errors_total', help: 'Batches that failed on a device (crashes and ONNX Runtime errors).', labelNames: ['device'], registers: [this.registry] });
  private readonly busy = new Counter<'device'>({ name: 'embedline_device_busy_seconds_total', help: 'Seconds a device had a batch running (completed or failed); rate() is its utilisation.', labelNames: ['device'], registers: [this.registry] });
  private readonly queueWait = new Histogram<'device'>({ name: 'embedline_device_queue_wait_seconds', help: 'Time a batch waited in a device queue before it started.', labelNames: ['device'], buckets: WAIT_BUCKETS, registers: [this.registry] });

  constructor() {
    const read = (): readonly DeviceReading[] => this.devices();
    const totalSpeed = (): number => read().reduce((sum, d) => sum + (d.state === 'ready' ? d.tokensPerSecond : 0), 0);
    new Gauge<'device'>({ name: 'embedline_device_tokens_per_second', help: 'Measured padded tokens per second (EWMA over batches).', labelNames: ['device'], registers: [this.registry], collect() { for (const d of read()) this.set({ device: d.id }, d.tokensPerSecond); } });
    new Gauge<'device'>({ name: 'embedline_device_queued_tokens', help: 'Padded tokens assigned to a device and not finished.', labelNames: ['device'], registers: [this.registry], collect() { for (const d of read()) this.set({ device: d.id }, d.queuedTokens); } });
    new Gauge<'device'>({
      name: 'embedline_device_weight',
      help: "A ready device's share of the measured speed of all ready devices (0 when not ready).",
      labelNames: ['device'],
      registers: [this.registry],
      collect() {
        const total = totalSpeed();
        for (const d of read()) this.set({ device: d.id }, d.state === 'ready' && total > 0 ? d.tokensPerSecond / total : 0);
      },
    });
    new Gauge<'device' | 'state'>({
      name: 'embedline_device_state',
      help: 'One for the state a device is in, zero for the others.',
      labelNames: ['device', 'state'],
      registers: [this.registry],
      collect() {
        for (const d of read()) for (const state of LANE_STATES) this.set({ device: d.id, state }, d.state === state ? 1 : 0);
      },
    });
  }

  /** Where the gauges read from. */
  watch(devices: () => readonly DeviceReading[]): void {
    this.devices = devices;
  }

  /** Starts each device's counters at zero, so dashboards see a series before the first batch or error. */
  startCounting(deviceIds: readonly string[]): void {
    for (const device of deviceIds) {
      this.batches.inc({ device }, 0);
      this.errors.inc({ device }, 0);
      this.busy.inc({ device }, 0);
    }
  }

  recordBatch(device: string, waitMs: number, serviceMs: number): void {
    this.batches.inc({ device });
    this.busy.inc({ device }, serviceMs / 1000);
    this.queueWait.observe({ device }, waitMs / 1000);
  }

  recordError(device: string, serviceMs: number): void {
    this.errors.inc({ device });
    this.busy.inc({ device }, serviceMs / 1000);
  }
}
