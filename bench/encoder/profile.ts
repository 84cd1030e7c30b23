import type { Encoder } from '../../core/encoder/Encoder.js';
import type { BatchOutput } from '../../core/encoder/WorkerPool.js';
import { startCpuMeter } from './cpuMeter.js';
import { batchFlops } from './modelFlops.js';
import type { PassGuard } from './timing.js';

/**
 * Where one pass's time goes: tokenizing on the main thread, the synchronous part of each
 * `runBatch` call, then the workers' own timings (`session.run`, pooling). The pool packs a batch
 * when a worker takes it, so only batches dispatched at once are packed inside `runBatch`; later
 * packs run between replies and fall in the workers' "other" time, which therefore bounds them.
 *
 * @example
 * const breakdown = await profilePass(encoder, texts, (lengths) => planBatches(lengths, limits), 2);
 */
export interface Breakdown {
  readonly wallMs: number;
  readonly tokenizeMs: number;
  /** Main thread inside `runBatch` calls (packing of the batches dispatched at once, posting). */
  readonly packMs: number;
  /** From the first batch posted to the last result back. */
  readonly batchesWallMs: number;
  readonly workers: number;
  /** Summed over all batches (and so over workers). */
  readonly inferMs: number;
  readonly poolMs: number;
  /** workers × batchesWallMs − (infer + pool): dispatch, transfers, idle tail. */
  readonly otherWorkerMs: number;
  /** Padded FLOPs / summed inferMs × workers: the pool's rate while inside `session.run`. */
  readonly inferGflops: number;
}

/** Retries the instrumented pass (up to 4 times) while other processes take the CPUs. */
export async function profileQuietPass(
  encoder: Encoder,
  texts: readonly string[],
  plan: (lengths: number[]) => number[][],
  workers: number,
  guard: PassGuard,
): Promise<Breakdown> {
  for (let attempt = 1; ; attempt++) {
    const meter = startCpuMeter();
    const breakdown = await profilePass(encoder, texts, plan, workers);
    if (meter.foreignShare() <= guard.maxForeign || attempt >= 4) return breakdown;
  }
}

export async function profilePass(
  encoder: Encoder,
  texts: readonly string[],
  plan: (lengths: number[]) => number[][],
  workers: number,
): Promise<Breakdown> {
  const t0 = performance.now();
  const tokens = await encoder.tokenizer.tokenize(texts);
  const t1 = performance.now();
  const lengths = tokens.map((t) => t.ids.length);
  const batches = plan(lengths);
  let packMs = 0;
  const pending: Promise<BatchOutput>[] = [];
  for (const batch of batches) {
    const start = performance.now();
    pending.push(encoder.runBatch(batch.map((i) => tokens[i]!)));
    packMs += performance.now() - start;
  }
  const outputs = await Promise.all(pending);
  const t2 = performance.now();
  const inferMs = outputs.reduce((sum, o) => sum + o.timings.inferMs, 0);
  const poolMs = outputs.reduce((sum, o) => sum + o.timings.poolMs, 0);
  const padded = batchFlops(batches.map((b) => b.map((i) => lengths[i]!))).padded;
  return {
    wallMs: t2 - t0,
    tokenizeMs: t1 - t0,
    packMs,
    batchesWallMs: t2 - t1,
    workers,
    inferMs,
    poolMs,
    otherWorkerMs: workers * (t2 - t1) - (inferMs + poolMs),
    inferGflops: (padded / 1e9 / (inferMs / 1000)) * workers,
  };
}
