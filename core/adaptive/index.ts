/**
 * Building blocks for batching plugins (predictive-batch-size, rl-batch-agent,
 * memory-aware-batcher), so a plugin composes core parts instead of importing another plugin
 * or core's internals:
 *
 * - `LengthAwareBatchFormer` with an `ExtraLimit`: core's default former (oldest text plus texts
 *   of similar length, within size, padded-token and padding limits), which a former plugin
 *   wraps to add one more limit per candidate batch (rows × longest row), as memory-aware-batcher
 *   does for memory;
 * - per-priority latency targets (`latencyTargets`, `tightestTarget`) from a plugin's
 *   `latencyTargetMs` option and `batching.requestTimeoutMs`;
 * - `LearnedStateFile` and `adaptiveStatePath`: what a learning plugin persists, atomically, under
 *   `<cacheDir>/adaptive/`.
 */
export { LengthAwareBatchFormer, type ExtraLimit } from '../pipeline/batching/LengthAwareBatchFormer.js';
export { DEFAULT_TARGET_SHARE, latencyTargets, tightestTarget, type LatencyTargetOptions, type LatencyTargets } from './latencyTargets.js';
export { adaptiveStatePath, LearnedStateFile, type LoadedState } from './LearnedStateFile.js';
