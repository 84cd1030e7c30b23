import { env, pipeline } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { ModelInfo } from '../../../core/model/modelInfo.js';
import { inputOrderBatches } from '../modelFlops.js';
import { timeRuns, type PassGuard } from '../timing.js';
import { splitRows, type BenchSystem, type SystemResult } from './BenchSystem.js';

const BATCH = 32;
/** all-MiniLM-L6-v2's tokenizer_config.json says model_max_length 512, and that is what transformers.js truncates at. */
const TRUNCATES_AT = 512;

/**
 * The baseline a Node user reaches for: transformers.js' feature-extraction pipeline as its docs
 * show it (the model's pooling, e.g. `pooling: 'mean', normalize: true`), fed consecutive batches of 32, loading the same
 * local files with remote models off. v4 spreads `session_options` into
 * `InferenceSession.create`, so the thread count is set the same way as ours.
 *
 * @example
 * const system = transformersJsSystem(model, 2);
 */
export function transformersJsSystem(model: ModelInfo, threads: number): BenchSystem {
  return {
    id: 'transformers-js-fp32',
    label: `transformers.js fp32, input order, batches of ${BATCH}`,
    config: `1 session × ${threads} threads`,
    precision: 'fp32',
    measure: (sample, runs, guard) => measure(model, threads, sample.texts, sample.lengths(TRUNCATES_AT), runs, guard),
  };
}

async function measure(model: ModelInfo, threads: number, texts: readonly string[], lengths: number[], runs: number, guard: PassGuard): Promise<SystemResult> {
  env.allowRemoteModels = false;
  env.localModelPath = `${dirname(model.dir)}/`;
  const extractor = await pipeline('feature-extraction', basename(model.dir), { dtype: 'fp32', session_options: { intraOpNumThreads: threads } });
  // The model's own pooling (mean for MiniLM and e5, cls for bge); transformers.js has no lasttoken/max here.
  const { mode } = model.definition.pooling;
  if (mode !== 'mean' && mode !== 'cls') throw new Error(`transformers.js baseline: no ${mode} pooling`);
  const pooling = mode;
  try {
    const pass = async (): Promise<Float32Array[]> => {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += BATCH) {
        const output = await extractor(texts.slice(start, start + BATCH), { pooling, normalize: model.definition.pooling.normalize });
        vectors.push(...splitRows(output.data as Float32Array, model.dimensions));
      }
      return vectors;
    };
    const { first, ms, discarded, foreign } = await timeRuns(runs, pass, guard);
    return {
      kind: 'measured',
      ms,
      discarded,
      foreign,
      vectors: first,
      batches: inputOrderBatches(lengths, BATCH),
      maxTokens: TRUNCATES_AT,
      versions: { '@huggingface/transformers': packageVersion('@huggingface/transformers') },
    };
  } finally {
    await extractor.dispose();
  }
}

/** The installed version, read from the package's own package.json (its exports map hides it). */
export function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (dir !== dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level: keep walking up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
