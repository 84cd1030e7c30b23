import { packBatch } from '../../core/encoder/packBatch.js';
import type { SessionTuning } from '../../core/encoder/sessionTuning.js';
import { WorkerPool } from '../../core/encoder/WorkerPool.js';
import { EmbedlineError } from '../../core/errors.js';
import type { ModelInfo } from '../../core/model/modelInfo.js';
import type { TensorAllocator } from '../../core/ports/TensorAllocator.js';
import type { DeviceProvider } from './config.js';
import type { DeviceRun, InferenceDevice, ResolvedDevice } from './InferenceDevice.js';

/** ONNX Runtime execution provider names; ORT adds its CPU provider behind each for unsupported ops. */
const EXECUTION_PROVIDERS: Readonly<Record<DeviceProvider, readonly string[]>> = {
  cpu: ['cpu'],
  webgpu: ['webgpu'],
  cuda: ['cuda'],
};

/**
 * A device backed by one worker thread (a WorkerPool of one) holding one session with the
 * device's provider and thread count. `stop` then `start` gives it a fresh thread and session.
 *
 * @example
 * const device = new WorkerDevice(spec, model, baseTuning, allocator);
 * await device.start();
 */
export class WorkerDevice implements InferenceDevice {
  private pool: WorkerPool | undefined;

  constructor(
    readonly spec: ResolvedDevice,
    private readonly model: ModelInfo,
    private readonly baseTuning: SessionTuning,
    private readonly allocator: TensorAllocator,
  ) {}

  async start(): Promise<void> {
    await this.stop();
    const tuning: SessionTuning = { ...this.baseTuning, intraOpThreads: this.spec.intraOpThreads, executionProviders: EXECUTION_PROVIDERS[this.spec.provider] };
    this.pool = await WorkerPool.start(1, { modelPath: this.model.onnxPath(this.spec.variant), tuning, dimensions: this.model.dimensions });
  }

  async run(rows: readonly Int32Array[]): Promise<DeviceRun> {
    if (!this.pool) throw new EmbedlineError('EMBEDLINE_INFERENCE', `Device ${this.spec.id} is not started.`, { device: this.spec.id });
    const output = await this.pool.run(() => packBatch(rows, this.allocator), (buffers) => this.allocator.release(buffers));
    return { vectors: output.vectors, inferMs: output.timings.inferMs, poolMs: output.timings.poolMs };
  }

  async terminate(): Promise<void> {
    await this.pool?.terminateWorker(0);
  }

  async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
