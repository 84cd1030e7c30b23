import { inject, injectable } from 'inversify';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { EMBEDLINE_CONFIG } from '../../core/config/tokens.js';
import { EmbedlineError } from '../../core/errors.js';
import type { DeviceScheduler, DeviceStatus } from '../../core/ports/DeviceScheduler.js';
import { INFERENCE_DEVICE_FACTORY, type InferenceDeviceFactory } from '../../core/ports/InferenceDevice.js';
import { MODEL_RUNTIME, type ModelRuntime } from '../../core/ports/ModelRuntime.js';
import type { BatchOutcome, TokenBatch } from '../../core/pipeline/types.js';
import type { WeightedSchedulerConfig } from './config.js';
import { DeviceLane, type LaneEvents } from './DeviceLane.js';
import { DeviceMetrics } from './DeviceMetrics.js';
import { laneJob, type LaneJob } from './LaneJob.js';
import { resolveDevices } from './resolveDevices.js';
import type { DevicePicker } from './strategies/DevicePicker.js';
import { DEVICE_PICKER, LANE_CLOCK, WEIGHTED_SCHEDULER_CONFIG } from './tokens.js';
import { warmUpRows } from './warmUpRows.js';

/**
 * Spreads batches over several devices. Each batch goes to a ready device that serves its
 * model variant and takes a batch that large (`maxBatchTokens`), chosen by the configured strategy (earliest expected completion, or in turn).
 * A batch whose device fails runs again on another device (or on the same one once it is back,
 * if it is the only one); batches waiting on a quarantined device move to the others. A batch
 * that ONNX Runtime rejects on two devices (or on the only one) fails, so the batcher can split
 * it and find the bad text.
 *
 * @example
 * const scheduler = container.get(DEVICE_SCHEDULER); // with plugins: ['weighted-scheduler']
 * await scheduler.start();
 * const outcome = await scheduler.run({ id: 1, variant: 'fp32', rows, priority: 'normal' });
 */
@injectable()
export class WeightedDeviceScheduler implements DeviceScheduler {
  private lanes: DeviceLane[] = [];
  /** Batches with no ready device for their variant; routed again when one becomes ready. */
  private readonly parked: LaneJob[] = [];
  private closed = false;
  private readonly events: LaneEvents = {
    completed: (lane, _job, { waitMs, serviceMs }) => this.metrics.recordBatch(lane.id, waitMs, serviceMs),
    failed: (lane, job, error, serviceMs) => this.onFailed(lane, job, error, serviceMs),
    orphaned: (jobs) => jobs.forEach((job) => this.route(job)),
    ready: () => this.parked.splice(0).forEach((job) => this.route(job)),
  };

  constructor(
    @inject(WEIGHTED_SCHEDULER_CONFIG) private readonly config: WeightedSchedulerConfig,
    @inject(EMBEDLINE_CONFIG) private readonly embedline: Readonly<EmbedlineConfig>,
    @inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    @inject(INFERENCE_DEVICE_FACTORY) private readonly createDevice: InferenceDeviceFactory,
    @inject(DEVICE_PICKER) private readonly picker: DevicePicker,
    @inject(DeviceMetrics) private readonly metrics: DeviceMetrics,
    @inject(LANE_CLOCK) private readonly now: () => number,
  ) {
    metrics.watch(() => this.lanes);
  }

  /**
   * Starts and probes every device at once; fails if none of them can run, or if any was
   * configured with what cannot work (a model variant the model directory lacks): retrying
   * would not mend that, so it is reported at start rather than kept in quarantine.
   */
  async start(): Promise<void> {
    const probeRows = await warmUpRows(this.runtime.tokenizer, this.config.probe.rows);
    const options = { probeRows, probeRuns: this.config.probe.runs, speedSmoothing: this.config.speedSmoothing, quarantine: this.config.quarantine, now: this.now };
    this.lanes = resolveDevices(this.config, this.embedline).map((spec) => new DeviceLane(this.createDevice(spec), spec.detected, options, this.events, spec.maxBatchTokens));
    this.metrics.startCounting(this.lanes.map((lane) => lane.id));
    const started = await Promise.all(this.lanes.map((lane) => lane.bringUp()));
    const misconfigured = this.lanes.find((lane) => lane.lastError?.code === 'EMBEDLINE_CONFIG');
    if (misconfigured) {
      await this.close();
      throw new EmbedlineError('EMBEDLINE_CONFIG', `Device ${misconfigured.id}: ${misconfigured.lastError!.message}`, { ...misconfigured.lastError!.context, device: misconfigured.id }, { cause: misconfigured.lastError });
    }
    if (!started.includes(true)) {
      const reasons = this.lanes.map((lane) => `${lane.id}: ${lane.lastError?.message ?? lane.state}`).join('; ');
      await this.close();
      throw new EmbedlineError('EMBEDLINE_INFERENCE', `No inference device could start (${reasons}). Check pluginOptions.weighted-scheduler.devices.`, { devices: this.lanes.map((l) => l.id) });
    }
  }

  run(batch: TokenBatch): Promise<BatchOutcome> {
    if (this.closed) return Promise.reject(new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The device scheduler is closed.'));
    return new Promise((resolve, reject) => this.route(laneJob(batch, resolve, reject)));
  }

  status(): readonly DeviceStatus[] {
    return this.lanes.map((lane) => ({
      id: lane.id,
      kind: lane.device.spec.provider,
      variant: lane.device.spec.variant,
      state: lane.state === 'ready' && lane.busy ? 'busy' : lane.state,
      queuedBatches: lane.queuedBatches,
      ...(lane.state !== 'ready' && lane.lastError ? { reason: `${lane.lastError.code}: ${lane.lastError.message}` } : {}),
      queuedTokens: lane.queuedTokens,
      tokensPerSecond: lane.tokensPerSecond,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const orphans = (await Promise.all(this.lanes.map((lane) => lane.close()))).flat();
    for (const job of [...orphans, ...this.parked.splice(0)]) {
      job.reject(new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The device scheduler closed before this batch ran.'));
    }
  }

  private route(job: LaneJob): void {
    if (this.closed) return job.reject(new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The device scheduler closed before this batch ran.'));
    const serving = this.lanes.filter((lane) => lane.device.spec.variant === job.batch.variant && lane.state !== 'unavailable');
    if (serving.length === 0) {
      return job.reject(new EmbedlineError('EMBEDLINE_INFERENCE', `No device serves the ${job.batch.variant} model variant; add one with variant: '${job.batch.variant}' to pluginOptions.weighted-scheduler.devices.`, { variant: job.batch.variant }));
    }
    const fitting = serving.filter((lane) => job.tokens <= lane.maxBatchTokens);
    if (fitting.length === 0) {
      const largest = Math.max(...serving.map((lane) => lane.maxBatchTokens));
      return job.reject(new EmbedlineError('EMBEDLINE_CONFIG', `A batch of ${job.tokens} padded tokens is larger than every ${job.batch.variant} device takes (largest maxBatchTokens: ${largest}); raise a device's maxBatchTokens in pluginOptions.weighted-scheduler.devices or lower batching.maxBatchTokens.`, { tokens: job.tokens, maxBatchTokens: largest }));
    }
    const ready = fitting.filter((lane) => lane.state === 'ready');
    if (ready.length === 0) return void this.parked.push(job);
    const untried = ready.filter((lane) => !job.failedOn.has(lane.id));
    this.picker.pick(untried.length > 0 ? untried : ready, job.tokens).enqueue(job);
  }

  private onFailed(lane: DeviceLane, job: LaneJob, error: EmbedlineError, serviceMs: number): void {
    this.metrics.recordError(lane.id, serviceMs);
    job.attempts++;
    job.failedOn.add(lane.id);
    if (error.code === 'EMBEDLINE_INFERENCE') job.inferenceFailures++;
    const serving = this.lanes.filter((l) => l.device.spec.variant === job.batch.variant && l.state !== 'unavailable').length;
    const inputAtFault = error.code === 'EMBEDLINE_INFERENCE' && (job.inferenceFailures >= 2 || serving === 1);
    if (this.closed || inputAtFault || job.attempts >= this.config.maxAttemptsPerBatch) return job.reject(error);
    this.route(job);
  }
}
