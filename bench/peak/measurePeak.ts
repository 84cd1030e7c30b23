import { InferenceSession, Tensor } from 'onnxruntime-node';
import { matMulModel } from './matMulModel.js';
import { NO_GUARD, timeRuns, type PassGuard, type RunSummary } from '../encoder/timing.js';

export interface MatMulShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

export interface MatMulResult extends MatMulShape {
  readonly threads: number;
  readonly gflop: number;
  readonly ms: RunSummary;
  /** Runs redone because other processes took the CPUs (see timeRuns). */
  readonly discarded: number;
  /** 2·M·N·K / median time. */
  readonly gflops: number;
}

/** The reference shape for "practical peak": big enough that packing and threading costs vanish. */
export const PEAK_SHAPE: MatMulShape = { m: 2048, k: 2048, n: 2048 };

/**
 * Times one fp32 MatMul through onnxruntime-node, the same runtime and MLAS kernels the encoder
 * uses. One warm-up run, then `runs` timed ones; GFLOP/s from the median.
 *
 * @example
 * const { gflops } = await measureMatMul(PEAK_SHAPE, 2, 9);
 */
export async function measureMatMul(shape: MatMulShape, threads: number, runs: number, guard: PassGuard = NO_GUARD): Promise<MatMulResult> {
  const { m, k, n } = shape;
  const session = await InferenceSession.create(matMulModel(m, k, n), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  try {
    const feeds = { A: new Tensor('float32', filled(m * k, 1), [m, k]), B: new Tensor('float32', filled(k * n, 2), [k, n]) };
    const { ms, discarded } = await timeRuns(
      runs,
      async () => {
        const out = await session.run(feeds);
        out.C?.dispose();
      },
      guard,
    );
    const gflop = (2 * m * k * n) / 1e9;
    return { ...shape, threads, gflop, ms, discarded, gflops: gflop / (ms.median / 1000) };
  } finally {
    await session.release();
  }
}

/** Deterministic values in [-1, 1): denormals or zeros would not change MLAS's speed, but keep it honest. */
function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}
