import { inject, injectable } from 'inversify';
import type { EmbedlineConfig } from '../config/schema.js';
import { EMBEDLINE_CONFIG } from '../config/tokens.js';
import { packBatch } from '../encoder/packBatch.js';
import { DEFAULT_SESSION_TUNING, type SessionTuning } from '../encoder/sessionTuning.js';
import { WorkerPool } from '../encoder/WorkerPool.js';
import type { ModelVariant } from '../model/modelInfo.js';
import type { DeviceScheduler, DeviceStatus } from '../ports/DeviceScheduler.js';
import { MODEL_RUNTIME, type ModelRuntime } from '../ports/ModelRuntime.js';
import { TENSOR_ALLOCATOR, type TensorAllocator } from '../ports/TensorAllocator.js';
import type { BatchOutcome, TokenBatch } from './types.js';

export function sessionTuningFrom(config: Readonly<EmbedlineConfig>): SessionTuning {
  const { intraOpThreads, interOpThreads, graphOptimizationLevel, enableCpuMemArena, enableMemPattern, allowSpinning, executionProviders } = config.encoder;
  return { ...DEFAULT_SESSION_TUNING, intraOpThreads, interOpThreads, graphOptimizationLevel, enableCpuMemArena, enableMemPattern, allowSpinning, executionProviders };
}

/**
 * The default device: one worker pool per model variant, on `encoder.executionProviders` (CPU
 * unless configured). The configured variant starts
 * with the pipeline; another (int8 for a precision policy) starts on its first batch.
 */
@injectable()
export class LocalDeviceScheduler implements DeviceScheduler {
  private readonly pools = new Map<ModelVariant, Promise<WorkerPool>>();

  constructor(
    @inject(EMBEDLINE_CONFIG) private readonly config: Readonly<EmbedlineConfig>,
    @inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    @inject(TENSOR_ALLOCATOR) private readonly allocator: TensorAllocator,
  ) {}

  /** The preferred execution provider names the device in metrics and status. */
  private get kind(): DeviceStatus['kind'] {
    return this.config.encoder.executionProviders[0]!;
  }

  async start(): Promise<void> {
    await this.pool(this.config.model.variant);
  }

  async run(batch: TokenBatch): Promise<BatchOutcome> {
    const pool = await this.pool(batch.variant);
    const output = await pool.run(() => packBatch(batch.rows, this.allocator), (buffers) => this.allocator.release(buffers));
    return { vectors: output.vectors, device: `${this.kind}-${batch.variant}-${output.worker}`, inferMs: output.timings.inferMs, poolMs: output.timings.poolMs };
  }

  status(): readonly DeviceStatus[] {
    return [...this.pools.keys()].map((variant) => ({ id: `${this.kind}-${variant}`, kind: this.kind, variant, state: 'ready', queuedBatches: 0 }));
  }

  async close(): Promise<void> {
    const pools = await Promise.allSettled(this.pools.values());
    await Promise.all(pools.map((p) => (p.status === 'fulfilled' ? p.value.close() : undefined)));
    this.pools.clear();
  }

  private pool(variant: ModelVariant): Promise<WorkerPool> {
    let pool = this.pools.get(variant);
    if (!pool) {
      const { model } = this.runtime;
      pool = WorkerPool.start(this.config.encoder.workers, { modelPath: model.onnxPath(variant), tuning: sessionTuningFrom(this.config), dimensions: model.dimensions });
      // A failed start is not cached, so the next batch tries again.
      pool.catch(() => this.pools.delete(variant));
      this.pools.set(variant, pool);
    }
    return pool;
  }
}
