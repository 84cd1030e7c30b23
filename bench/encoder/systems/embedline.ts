import type { EmbedlineConfig } from '../../../core/config/schema.js';
import { MODEL_RUNTIME } from '../../../core/ports/ModelRuntime.js';
import { startBenchRuntime, type BenchRuntimeSetup } from '../benchRuntime.js';
import { profileQuietPass } from '../profile.js';
import { timeRuns, type PassGuard } from '../timing.js';
import { BatchRecorder } from './batchRecorder.js';
import type { BenchSystem, SystemResult } from './BenchSystem.js';

export interface EmbedlineSetup {
  readonly id: string;
  readonly variant: 'fp32' | 'int8';
  readonly workers: number;
  readonly threads: number;
  /** `sorted`: the production batcher as configured by default; `input`: the same batcher as plain FIFO, batches of 32. */
  readonly order: 'sorted' | 'input';
  /** Adds one instrumented pass (before first batch / infer / pool). */
  readonly profile?: boolean;
}

/** Batch size of the input-order runs, matching the transformers.js baseline. */
export const INPUT_ORDER_BATCH = 32;

/**
 * Embedline as production runs it (`startEmbedline`: request stages → tokenize → batcher →
 * worker pool → mean-pool, normalize), measured end to end on the whole sample as one request.
 *
 * @example
 * const system = embedlineSystem(loadConfig(process.env), { id: 'fp32', variant: 'fp32', workers: 2, threads: 1, order: 'sorted' });
 */
export function embedlineSystem(base: Readonly<EmbedlineConfig>, setup: EmbedlineSetup): BenchSystem {
  const ordering = setup.order === 'sorted' ? 'length-sorted' : `input order, batches of ${INPUT_ORDER_BATCH}`;
  return {
    id: setup.id,
    label: `embedline ${setup.variant}, ${ordering}`,
    config: `${setup.workers} worker${setup.workers > 1 ? 's' : ''} × ${setup.threads} thread${setup.threads > 1 ? 's' : ''}`,
    precision: setup.variant,
    measure: (sample, runs, guard) => measure(base, setup, sample.texts, runs, guard),
  };
}

function runtimeSetup(setup: EmbedlineSetup): BenchRuntimeSetup {
  const fifo = { lookahead: 1, maxPaddingRatio: 1, maxBatchSize: INPUT_ORDER_BATCH, maxBatchTokens: INPUT_ORDER_BATCH * 512 };
  return { variant: setup.variant, workers: setup.workers, threads: setup.threads, batching: setup.order === 'input' ? fifo : {} };
}

async function measure(base: Readonly<EmbedlineConfig>, setup: EmbedlineSetup, texts: readonly string[], runs: number, guard: PassGuard): Promise<SystemResult> {
  const recorder = new BatchRecorder();
  const runtime = await startBenchRuntime(base, runtimeSetup(setup), [recorder.module()]);
  try {
    const pass = async () => {
      recorder.take();
      const { vectors } = await runtime.pipeline.embed(texts);
      return { vectors: vectors.map((v) => v.values), batches: recorder.take().map((b) => b.rows) };
    };
    const { first, ms, discarded, foreign } = await timeRuns(runs, pass, guard);
    const breakdown = setup.profile ? await profileQuietPass(runtime, recorder, texts, setup.workers, guard) : undefined;
    const { tokenizer } = await runtime.container.getAsync(MODEL_RUNTIME);
    return { kind: 'measured', ms, discarded, foreign, vectors: first.vectors, batches: first.batches, maxTokens: tokenizer.maxTokens, breakdown };
  } finally {
    await runtime.close();
  }
}
