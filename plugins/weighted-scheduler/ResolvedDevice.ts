import type { InferenceDeviceSpec } from '../../core/ports/InferenceDevice.js';

/**
 * A device as configured or auto-detected, with its variant settled: one session (the
 * scheduler runs one batch at a time on it and keeps the queue itself, so what a device has
 * waiting is always known).
 */
export interface ResolvedDevice extends InferenceDeviceSpec {
  readonly workers: 1;
  /** Auto-detected accelerators are dropped when they cannot start; configured ones are retried. */
  readonly detected: boolean;
  /** Largest batch it takes, in padded tokens; unlimited when absent. */
  readonly maxBatchTokens?: number | undefined;
}
