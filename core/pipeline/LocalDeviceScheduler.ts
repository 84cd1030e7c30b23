import { inject, injectable } from 'inversify';
import type { EmbedlineConfig } from '../config/schema.js';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import { EmbedlineError, toEmbedlineError } from '../errors.js';
import type { ModelVariant } from '../model/variants.js';
import type { DeviceScheduler, DeviceStatus } from '../ports/DeviceScheduler.js';
import { INFERENCE_DEVICE_FACTORY, type ExecutionProvider, type InferenceDevice, type InferenceDeviceFactory } from '../ports/InferenceDevice.js';
import type { BatchOutcome, TokenBatch } from './types.js';

/** One variant's device and what status() reports about it. */
interface VariantDevice {
  readonly device: InferenceDevice;
  state: 'starting' | 'ready' | 'failed';
  /** Resolves once the device runs; a failed start leaves `state: 'failed'` and is retried by the next batch. */
  started: Promise<InferenceDevice>;
  reason?: string;
  /** Batches handed to the device and not finished: running on a session or waiting for one. */
  inFlight: number;
}

/**
 * The default scheduler: one device (`encoder.workers` sessions on `encoder.executionProviders`,
 * CPU unless configured) per model variant, from the INFERENCE_DEVICE_FACTORY. The configured
 * variant starts with the pipeline; another (int8 for a precision policy) starts on its first
 * batch. A device that fails to start is reported `failed` with the reason, and the next batch
 * for its variant tries again.
 *
 * @example
 * const scheduler = await container.getAsync(DEVICE_SCHEDULER); // no scheduler plugin enabled
 * await scheduler.start();
 * scheduler.status(); // [{ id: 'cpu-fp32', state: 'ready', queuedBatches: 0, … }]
 */
@injectable()
export class LocalDeviceScheduler implements DeviceScheduler {
  private readonly devices = new Map<ModelVariant, VariantDevice>();
  private closed = false;

  constructor(
    @inject(EMBEDLINE_CONFIG) private readonly config: Readonly<EmbedlineConfig>,
    @inject(INFERENCE_DEVICE_FACTORY) private readonly createDevice: InferenceDeviceFactory,
  ) {}

  /** The preferred execution provider names the device in metrics and status. */
  private get provider(): ExecutionProvider {
    return this.config.encoder.executionProviders[0]!;
  }

  async start(): Promise<void> {
    this.refuseWhenClosed();
    await this.entry(this.config.model.variant).started;
  }

  async run(batch: TokenBatch): Promise<BatchOutcome> {
    this.refuseWhenClosed();
    const entry = this.entry(batch.variant);
    entry.inFlight++;
    try {
      const device = await entry.started;
      const run = await device.run(batch.rows);
      return { vectors: run.vectors, device: `${entry.device.spec.id}-${run.worker}`, inferMs: run.inferMs, poolMs: run.poolMs };
    } finally {
      entry.inFlight--;
    }
  }

  status(): readonly DeviceStatus[] {
    return [...this.devices.values()].map(({ device, state, reason, inFlight }) => ({
      id: device.spec.id,
      kind: device.spec.provider,
      variant: device.spec.variant,
      // Busy: every session has a batch, so the next one waits.
      state: state === 'ready' && inFlight >= device.spec.workers ? 'busy' : state,
      queuedBatches: inFlight,
      ...(reason === undefined ? {} : { reason }),
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.devices.values()];
    await Promise.all(entries.map((entry) => entry.started.then((device) => device.stop(), () => entry.device.stop())));
    this.devices.clear();
  }

  /** The variant's device, created on first use; a device whose start failed is started again. */
  private entry(variant: ModelVariant): VariantDevice {
    let entry = this.devices.get(variant);
    if (!entry) {
      const eps = this.config.encoder.executionProviders;
      const device = this.createDevice({
        id: `${this.provider}-${variant}`,
        provider: this.provider,
        fallbackProviders: eps.slice(1),
        workers: this.config.encoder.workers,
        intraOpThreads: this.config.encoder.intraOpThreads,
        variant,
      });
      entry = { device, state: 'starting', started: Promise.resolve(device), inFlight: 0 };
      this.devices.set(variant, entry);
      this.startDevice(entry);
    } else if (entry.state === 'failed') {
      this.startDevice(entry);
    }
    return entry;
  }

  private startDevice(entry: VariantDevice): void {
    entry.state = 'starting';
    delete entry.reason;
    entry.started = entry.device.start().then(
      () => {
        entry.state = 'ready';
        return entry.device;
      },
      (cause: unknown) => {
        const error = toEmbedlineError(cause, 'EMBEDLINE_INFERENCE');
        entry.state = 'failed';
        entry.reason = `${error.code}: ${error.message}`;
        throw error;
      },
    );
    // Seen by status() and the next batch; callers awaiting it get the rejection themselves.
    entry.started.catch(() => {});
  }

  /** A closed scheduler starts no device: one started now would outlive close(). */
  private refuseWhenClosed(): void {
    if (this.closed) throw new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The device scheduler is closed.');
  }
}
