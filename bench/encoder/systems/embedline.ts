import { planBatches } from '../../../core/encoder/batchPlanner.js';
import { createEncoder, DEFAULT_LIMITS } from '../../../core/encoder/createEncoder.js';
import type { Encoder } from '../../../core/encoder/Encoder.js';
import type { ModelInfo } from '../../../core/model/modelInfo.js';
import { inputOrderBatches } from '../modelFlops.js';
import { profileQuietPass } from '../profile.js';
import { timeRuns, type PassGuard } from '../timing.js';
import { splitRows, type BenchSystem, type SystemResult } from './BenchSystem.js';

export interface EmbedlineSetup {
  readonly id: string;
  readonly variant: 'fp32' | 'int8';
  readonly workers: number;
  readonly threads: number;
  /** `sorted`: the encoder's own length-sorted batching; `input`: consecutive slices via runBatch. */
  readonly order: 'sorted' | 'input';
  /** Adds one instrumented pass (tokenize / pack / infer / pool). */
  readonly profile?: boolean;
}

/** Batch size of the input-order runs, matching the transformers.js baseline. */
export const INPUT_ORDER_BATCH = 32;

/**
 * Embedline's encoder as an application would create it, measured end to end (tokenize → infer →
 * pool → normalize) on the compiled worker pool.
 *
 * @example
 * const system = embedlineSystem(model, { id: 'fp32', variant: 'fp32', workers: 2, threads: 1, order: 'sorted' });
 */
export function embedlineSystem(model: ModelInfo, setup: EmbedlineSetup): BenchSystem {
  const ordering = setup.order === 'sorted' ? 'length-sorted' : `input order, batches of ${INPUT_ORDER_BATCH}`;
  return {
    id: setup.id,
    label: `embedline ${setup.variant}, ${ordering}`,
    config: `${setup.workers} worker${setup.workers > 1 ? 's' : ''} × ${setup.threads} thread${setup.threads > 1 ? 's' : ''}`,
    precision: setup.variant,
    measure: (sample, runs, guard) => measure(model, setup, sample.texts, runs, guard),
  };
}

async function measure(model: ModelInfo, setup: EmbedlineSetup, texts: readonly string[], runs: number, guard: PassGuard): Promise<SystemResult> {
  const { encoder, close } = await createEncoder(model, {
    variant: setup.variant,
    workers: setup.workers,
    tuning: { intraOpThreads: setup.threads },
    limits: DEFAULT_LIMITS,
  });
  try {
    const pass = setup.order === 'sorted' ? () => encoder.encode(texts) : () => encodeInInputOrder(encoder, texts);
    const { first, ms, discarded, foreign } = await timeRuns(runs, pass, guard);
    const plan = setup.order === 'sorted' ? (lengths: number[]) => planBatches(lengths, DEFAULT_LIMITS) : consecutiveIndices;
    const lengths = (await encoder.tokenizer.tokenize(texts)).map((t) => t.ids.length);
    const batches = plan(lengths).map((batch) => batch.map((i) => lengths[i]!));
    const breakdown = setup.profile ? await profileQuietPass(encoder, texts, plan, setup.workers, guard) : undefined;
    return { kind: 'measured', ms, discarded, foreign, vectors: first, batches, maxTokens: encoder.tokenizer.maxTokens, breakdown };
  } finally {
    await close();
  }
}

/** What a caller gets by handing consecutive slices straight to the pool: no regrouping by length. */
async function encodeInInputOrder(encoder: Encoder, texts: readonly string[]): Promise<Float32Array[]> {
  const tokens = await encoder.tokenizer.tokenize(texts);
  const slices = consecutiveIndices(tokens.map((t) => t.ids.length));
  const outputs = await Promise.all(slices.map((slice) => encoder.runBatch(slice.map((i) => tokens[i]!))));
  return outputs.flatMap((output) => splitRows(output.vectors, encoder.dimensions));
}

function consecutiveIndices(lengths: number[]): number[][] {
  return inputOrderBatches(
    lengths.map((_, i) => i),
    INPUT_ORDER_BATCH,
  );
}
