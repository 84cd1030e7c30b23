import type { InferenceSession } from 'onnxruntime-node';
import type { EmbedlineConfig } from '../config/schema.js';
import type { InferenceDeviceSpec } from '../ports/InferenceDevice.js';

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
  /** Which GPU the `cuda` provider uses (ORT's `device_id`); absent: ORT's default, GPU 0. */
  readonly deviceId?: number | undefined;
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

/** The session knobs `encoder.*` configures, shared by every device's sessions. */
export function sessionTuningFrom(config: Readonly<EmbedlineConfig>): SessionTuning {
  const { intraOpThreads, interOpThreads, graphOptimizationLevel, enableCpuMemArena, enableMemPattern, allowSpinning, executionProviders } = config.encoder;
  return { ...DEFAULT_SESSION_TUNING, intraOpThreads, interOpThreads, graphOptimizationLevel, enableCpuMemArena, enableMemPattern, allowSpinning, executionProviders };
}

/** The shared tuning with what one device sets itself: its providers, threads and GPU. */
export function tuningForDevice(base: SessionTuning, spec: InferenceDeviceSpec): SessionTuning {
  return { ...base, intraOpThreads: spec.intraOpThreads, executionProviders: [spec.provider, ...(spec.fallbackProviders ?? [])], deviceId: spec.deviceId };
}

/**
 * Providers as ONNX Runtime takes them: a name, or `{ name: 'cuda', deviceId }` when a GPU is
 * chosen, so each session of a multi-GPU host binds its own card.
 */
function providerConfigs(tuning: SessionTuning): InferenceSession.ExecutionProviderConfig[] {
  return tuning.executionProviders.map((name) => (name === 'cuda' && tuning.deviceId !== undefined ? { name: 'cuda', deviceId: tuning.deviceId } : name));
}

export function toSessionOptions(tuning: SessionTuning): InferenceSession.SessionOptions {
  return {
    executionProviders: providerConfigs(tuning),
    intraOpNumThreads: tuning.intraOpThreads,
    interOpNumThreads: tuning.interOpThreads,
    graphOptimizationLevel: tuning.graphOptimizationLevel,
    enableCpuMemArena: tuning.enableCpuMemArena,
    enableMemPattern: tuning.enableMemPattern,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: tuning.allowSpinning ? '1' : '0' } } },
  };
}
