import type { EmbedOptions } from '../../../../core/pipeline/types.js';
import type { ModelVariant } from '../../../../core/model/variants.js';
import { startTestRuntime } from '../../../support/runtime.js';

/** Texts every several-models test embeds: short, real sentences. */
export const TEXTS = [
  'The cat sits on the mat.',
  'How do I reset my password?',
  'Quarterly revenue grew by twelve percent.',
  'A feline rests on a rug in the afternoon sun.',
] as const;

const cache = new Map<string, Promise<Float32Array[]>>();

/**
 * The texts' vectors from a runtime that serves `model` alone (the reference several models at
 * once must reproduce), computed once per test process and key.
 */
export function singleModelVectors(model: string, options: { variant?: ModelVariant; prompt?: Pick<EmbedOptions, 'inputType' | 'promptName'> } = {}): Promise<Float32Array[]> {
  const key = JSON.stringify([model, options.variant ?? 'fp32', options.prompt ?? {}]);
  let vectors = cache.get(key);
  if (!vectors) {
    vectors = (async () => {
      const runtime = await startTestRuntime({ model: { name: model, variant: options.variant ?? 'fp32' }, encoder: { workers: 1, intraOpThreads: 1 } });
      try {
        return (await runtime.pipeline.embed([...TEXTS], { ...options.prompt, timeoutMs: 300_000 })).vectors.map((v) => v.values);
      } finally {
        await runtime.close();
      }
    })();
    cache.set(key, vectors);
  }
  return vectors;
}

/** The largest element-wise difference between two lists of vectors. */
export function worstDiff(actual: readonly ArrayLike<number>[], expected: readonly Float32Array[]): number {
  if (actual.length !== expected.length) throw new Error(`${actual.length} vectors, expected ${expected.length}`);
  let worst = 0;
  actual.forEach((vector, i) => {
    const reference = expected[i]!;
    if (vector.length !== reference.length) throw new Error(`vector ${i} has ${vector.length} dimensions, expected ${reference.length}`);
    for (let d = 0; d < reference.length; d++) worst = Math.max(worst, Math.abs(vector[d]! - reference[d]!));
  });
  return worst;
}
