import type { EmbedlineRuntime } from '../../core/runtime.js';
import { startCpuMeter } from './cpuMeter.js';
import { MODEL_RUNTIME } from '../../core/ports/ModelRuntime.js';
import { batchFlops, encoderShapeOf } from './modelFlops.js';
import type { BatchRecorder } from './systems/batchRecorder.js';
import type { PassGuard } from './timing.js';

/**
 * Where one pass through the production pipeline goes: the time before the first batch reaches
 * a device (request stages, tokenizing, batching on the main thread), then the batches, with the
 * workers' own timings (`session.run`, pooling). Packing happens when a worker takes a batch, so
 * it falls in the workers' "other" time, which therefore bounds it.
 *
 * @example
 * const breakdown = await profilePass(runtime, recorder, texts, 2);
 */
export interface Breakdown {
  readonly wallMs: number;
  /** From the embed call to the first batch handed to the device scheduler. */
  readonly beforeFirstBatchMs: number;
  /** From the first batch handed over to the last result back. */
  readonly batchesWallMs: number;
  readonly workers: number;
  /** Summed over all batches (and so over workers). */
  readonly inferMs: number;
  readonly poolMs: number;
  /** workers × batchesWallMs − (infer + pool): dispatch, packing, transfers, idle tail. */
  readonly otherWorkerMs: number;
  /** Padded FLOPs / summed inferMs × workers: the pool's rate while inside `session.run`. */
  readonly inferGflops: number;
}

/** Retries the instrumented pass (up to 4 times) while other processes take the CPUs. */
export async function profileQuietPass(runtime: EmbedlineRuntime, recorder: BatchRecorder, texts: readonly string[], workers: number, guard: PassGuard): Promise<Breakdown> {
  for (let attempt = 1; ; attempt++) {
    const meter = startCpuMeter();
    const breakdown = await profilePass(runtime, recorder, texts, workers);
    if (meter.foreignShare() <= guard.maxForeign || attempt >= 4) return breakdown;
  }
}

export async function profilePass(runtime: EmbedlineRuntime, recorder: BatchRecorder, texts: readonly string[], workers: number): Promise<Breakdown> {
  recorder.take();
  const t0 = performance.now();
  await runtime.pipeline.embed(texts);
  const t2 = performance.now();
  const batches = recorder.take();
  const t1 = Math.min(...batches.map((b) => b.handedOverAt));
  const lastDone = Math.max(...batches.map((b) => b.doneAt));
  const inferMs = batches.reduce((sum, b) => sum + b.inferMs, 0);
  const poolMs = batches.reduce((sum, b) => sum + b.poolMs, 0);
  const { model } = await runtime.container.getAsync(MODEL_RUNTIME);
  const padded = batchFlops(batches.map((b) => b.rows), encoderShapeOf(model.dir)).padded;
  return {
    wallMs: t2 - t0,
    beforeFirstBatchMs: t1 - t0,
    batchesWallMs: lastDone - t1,
    workers,
    inferMs,
    poolMs,
    otherWorkerMs: workers * (lastDone - t1) - (inferMs + poolMs),
    inferGflops: (padded / 1e9 / (inferMs / 1000)) * workers,
  };
}
