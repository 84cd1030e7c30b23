import type { InferenceSession } from 'onnxruntime-node';

/**
 * ONNX Runtime knobs exposed through configuration (see docs/configuration.md).
 * One worker thread owns one session; `intraOpThreads` is per session.
 */
export interface SessionTuning {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  /** ORT's CPU arena keeps freed blocks for reuse; off trades speed for a flatter RSS. */
  readonly enableCpuMemArena: boolean;
  /** Pre-plans buffer offsets per input shape; pays off when shapes repeat. */
  readonly enableMemPattern: boolean;
  /** Spinning threads burn a core while idle; off when several sessions share few cores. */
  readonly allowSpinning: boolean;
  /**
   * ONNX Runtime EPs in preference order, per session (`cpu`, `webgpu`, `cuda` on Linux x64;
   * cuda needs its provider libraries installed): nodes an earlier EP has no kernel for run on a
   * later one. An accelerator that cannot start fails the worker with
   * EMBEDLINE_DEVICE_UNAVAILABLE instead of silently running on the CPU (docs/gpu.md).
   */
  readonly executionProviders: readonly string[];
}

export const DEFAULT_SESSION_TUNING: SessionTuning = {
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  enableCpuMemArena: true,
  enableMemPattern: true,
  allowSpinning: false,
  executionProviders: ['cpu'],
};

export function toSessionOptions(tuning: SessionTuning): InferenceSession.SessionOptions {
  return {
    executionProviders: [...tuning.executionProviders],
    intraOpNumThreads: tuning.intraOpThreads,
    interOpNumThreads: tuning.interOpThreads,
    graphOptimizationLevel: tuning.graphOptimizationLevel,
    enableCpuMemArena: tuning.enableCpuMemArena,
    enableMemPattern: tuning.enableMemPattern,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: tuning.allowSpinning ? '1' : '0' } } },
  };
}
