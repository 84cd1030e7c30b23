import type { DeviceScheduler, DeviceStatus } from '../../core/ports/DeviceScheduler.js';
import type { BatchOutcome, TokenBatch } from '../../core/pipeline/types.js';

/**
 * A device that runs a batch only when the test says so, and records the order batches
 * arrived in: queue-ordering rules can then be checked step by step, which real inference
 * timing would make flaky. The real-model tests cover the same paths end to end.
 */
export class GatedScheduler implements DeviceScheduler {
  readonly received: TokenBatch[] = [];
  private readonly gates: (() => void)[] = [];
  failWhen: (batch: TokenBatch) => boolean = () => false;
  /** What a failing batch throws; a plain Error reaches the batcher as EMBEDLINE_INFERENCE. */
  failure: () => Error = () => new Error('poisoned batch');
  /**
   * Inference time each batch reports. The batcher measures throughput from it (a batch counts
   * as at least this long), so admission tests get a known rate instead of the wall clock's.
   */
  inferMs = 1;

  async run(batch: TokenBatch): Promise<BatchOutcome> {
    this.received.push(batch);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.failWhen(batch)) throw this.failure();
    const vectors = new Float32Array(batch.rows.length * 2);
    batch.rows.forEach((row, i) => vectors.set([row[0]!, row.length], i * 2));
    return { vectors, device: 'gated', inferMs: this.inferMs, poolMs: 0 };
  }

  /** Lets the oldest waiting batch finish. */
  releaseOne(): void {
    this.gates.shift()?.();
  }

  releaseAll(): void {
    while (this.gates.length > 0) this.releaseOne();
  }

  get waiting(): number {
    return this.gates.length;
  }

  status(): readonly DeviceStatus[] {
    return [];
  }

  async start(): Promise<void> {}
  async close(): Promise<void> {}
}
