import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ResolutionContext } from 'inversify';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import { EmbedlineError } from '../errors.js';
import type { ModelInfo } from '../model/modelInfo.js';
import { MODEL_FILES } from '../model/catalogue.js';
import { requireIntactModelFiles } from '../model/modelIntegrity.js';
import { requireVariantFile, VARIANT_FILES } from '../model/variants.js';
import type { DeviceRun, InferenceDevice, InferenceDeviceFactory, InferenceDeviceSpec } from '../ports/InferenceDevice.js';
import { MODEL_RUNTIME } from '../ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR, type TensorAllocator } from '../ports/TensorAllocator.js';
import { packBatch } from './packBatch.js';
import { sessionTuningFrom, tuningForDevice, type SessionTuning } from './sessionTuning.js';
import { WorkerPool } from './WorkerPool.js';

/**
 * The inference device: a WorkerPool of `spec.workers` threads, one ONNX Runtime session each,
 * on the spec's provider, threads and GPU. Batches are packed into allocator buffers only when a
 * session is free, and the buffers go back to the allocator when the worker returns them.
 * `stop` then `start` gives it fresh threads and sessions.
 *
 * @example
 * const device = new WorkerPoolDevice({ id: 'cpu', provider: 'cpu', workers: 2, intraOpThreads: 1, variant: 'fp32' }, model, tuning, allocator);
 * await device.start();
 * const { vectors } = await device.run(rows);
 */
export class WorkerPoolDevice implements InferenceDevice {
  private pool: WorkerPool | undefined;

  constructor(
    readonly spec: InferenceDeviceSpec,
    private readonly model: ModelInfo,
    private readonly baseTuning: SessionTuning,
    private readonly allocator: TensorAllocator,
    /** Check the variant's graph against manifest.json before loading it (`model.verifyOnStart`). */
    private readonly verifyIntegrity = false,
  ) {}

  async start(): Promise<void> {
    await this.stop();
    const modelPath = await requireVariantFile(this.model.dir, this.spec.variant);
    // A model directory named by path may have no manifest.json: nothing recorded, nothing to check.
    if (this.verifyIntegrity && (await hasManifest(this.model.dir))) await requireIntactModelFiles(basename(this.model.dir), this.model.dir, [VARIANT_FILES[this.spec.variant]]);
    this.pool = await WorkerPool.start(this.spec.workers, { modelPath, tuning: tuningForDevice(this.baseTuning, this.spec), dimensions: this.model.dimensions, pooling: this.model.definition.pooling });
  }

  async run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    if (!this.pool) throw new EmbedlineError('EMBEDLINE_INFERENCE', `Device ${this.spec.id} is not started.`, { device: this.spec.id });
    const output = await this.pool.run(() => packBatch(rows, this.allocator), (buffers) => this.allocator.release(buffers));
    return { vectors: output.vectors, inferMs: output.timings.inferMs, poolMs: output.timings.poolMs, worker: output.worker };
  }

  async terminate(worker = 0): Promise<void> {
    await this.pool?.terminateWorker(worker);
  }

  async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/**
 * The default INFERENCE_DEVICE_FACTORY binding: worker-pool devices on the loaded model, with
 * the session tuning `encoder.*` configures and the bound tensor allocator.
 */
export async function workerPoolDeviceFactory(context: ResolutionContext): Promise<InferenceDeviceFactory> {
  const [config, runtime, allocator] = await Promise.all([context.getAsync(EMBEDLINE_CONFIG), context.getAsync(MODEL_RUNTIME), context.getAsync(TENSOR_ALLOCATOR)]);
  const tuning = sessionTuningFrom(config);
  return (spec) => new WorkerPoolDevice(spec, runtime.model, tuning, allocator, config.model.verifyOnStart);
}

async function hasManifest(dir: string): Promise<boolean> {
  return access(join(dir, MODEL_FILES.manifest)).then(() => true, () => false);
}
