import type { EmbedlineConfigInput } from '../../../core/config/schema.js';
import type { PoolStats } from '../../../plugins/memory-pool/PooledAllocator.js';

/** The configurations compared in one run: the plugin off, on, and on with pooled outputs. */
export const MEMORY_POOL_MODES = {
  off: { plugins: [] },
  pool: { plugins: ['memory-pool'] },
  'pool+outputs': { plugins: ['memory-pool'], pluginOptions: { 'memory-pool': { preallocateOutputs: true } } },
} as const satisfies Record<string, Partial<EmbedlineConfigInput>>;

export type MemoryPoolMode = keyof typeof MEMORY_POOL_MODES;

export interface TrialPass {
  readonly seconds: number;
  readonly workerGcMs: number;
  /** Share of the CPUs other processes used during this pass. */
  readonly foreignCpu: number;
  readonly mainGc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  readonly acquireNs: readonly number[];
  readonly meanFragmentation: number;
  /** Mean of held − needed bytes, sampled at each acquire. */
  readonly meanWastedBytes: number;
  readonly peakHeldBytes: number;
}

/** What one trial process prints. */
export interface TrialResult {
  readonly mode: MemoryPoolMode;
  readonly texts: number;
  readonly batches: number;
  readonly passes: readonly TrialPass[];
  /** Passes thrown away because other processes took more than 5% of the CPUs. */
  readonly redonePasses: number;
  readonly maxRssBytes: number;
  readonly poolStats: PoolStats | undefined;
}

/** What one allocator-replay process prints. */
export interface ReplayResult {
  readonly mode: MemoryPoolMode;
  readonly batches: number;
  readonly seconds: number;
  readonly mainGc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  readonly acquireNs: readonly number[];
  readonly meanFragmentation: number;
  readonly meanWastedBytes: number;
  readonly peakHeldBytes: number;
  readonly maxRssBytes: number;
}
