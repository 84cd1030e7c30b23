import { availableParallelism } from 'node:os';
import type { ModelInfo, ModelVariant } from '../model/modelInfo.js';
import type { BatchLimits } from './batchPlanner.js';
import { Encoder } from './Encoder.js';
import { DEFAULT_SESSION_TUNING, type SessionTuning } from './sessionTuning.js';
import { TextTokenizer } from './TextTokenizer.js';
import { WorkerPool } from './WorkerPool.js';

export interface EncoderOptions {
  readonly variant: ModelVariant;
  /** Worker threads, one session each. */
  readonly workers: number;
  readonly tuning: Partial<SessionTuning>;
  readonly limits: BatchLimits;
  /** Overrides the model's max sequence length (word pieces incl. [CLS]/[SEP]). */
  readonly maxTokens?: number | undefined;
}

/**
 * Small batches of near-equal length: on this CPU a batch of 16 costs about what 16 single
 * texts do, so the limit on padding is what matters (docs/BENCHMARKS.md, "Encoder throughput").
 */
export const DEFAULT_LIMITS: BatchLimits = { maxBatchSize: 16, maxBatchTokens: 8192, maxPaddingRatio: 0.05 };

/** Splits the machine's cores between workers unless told otherwise. */
export function defaultEncoderOptions(cores = availableParallelism()): EncoderOptions {
  const workers = Math.max(1, Math.min(cores, 2));
  return { variant: 'fp32', workers, tuning: { intraOpThreads: Math.max(1, Math.floor(cores / workers)) }, limits: DEFAULT_LIMITS };
}

export interface RunningEncoder {
  readonly encoder: Encoder;
  readonly pool: WorkerPool;
  close(): Promise<void>;
}

/**
 * Loads the tokenizer and starts the worker pool for one model variant.
 *
 * @example
 * const { encoder, close } = await createEncoder(await readModelInfo(dir, 256), defaultEncoderOptions());
 */
export async function createEncoder(model: ModelInfo, options: EncoderOptions): Promise<RunningEncoder> {
  const maxTokens = Math.min(options.maxTokens ?? model.maxSeqLength, model.maxPositions);
  const tokenizer = TextTokenizer.fromFile(model.tokenizerPath, maxTokens);
  const tuning: SessionTuning = { ...DEFAULT_SESSION_TUNING, ...options.tuning };
  const pool = await WorkerPool.start(options.workers, { modelPath: model.onnxPath(options.variant), tuning, dimensions: model.dimensions });
  const encoder = new Encoder(tokenizer, pool, options.limits, model.dimensions);
  return { encoder, pool, close: () => pool.close() };
}
