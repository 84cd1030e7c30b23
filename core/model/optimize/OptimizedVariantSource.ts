import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmbedlineError } from '../../errors.js';
import { MODEL_FILES, type ModelCatalogueEntry } from '../catalogue.js';
import { sha256File } from '../fileDigest.js';
import { VARIANT_FILES } from '../modelInfo.js';
import type { FetchedFile, ModelSource } from '../sources/ModelSource.js';
import type { OptimizeReport } from './optimizeReport.js';
import { optimizerScriptDir } from './optimizerScript.js';
import { ensureVenv } from './pythonVenv.js';

const run = promisify(execFile);

/** Variants this source builds from the exported fp32 graph. */
export type OptimizedVariant = 'gpu-fp16' | 'gpu-fp32';

export interface OptimizedVariantOptions {
  readonly variants: readonly OptimizedVariant[];
  /** Where the optimizer's virtual environment lives (`<cacheDir>/venv-optimize`). */
  readonly venvDir: string;
  readonly log?: (line: string) => void;
  readonly onReport?: (report: OptimizeReport) => void;
}

/**
 * Builds the fused, GPU-ready variants from the model's own `onnx/model.onnx` by running
 * scripts/model-optimize/optimize.py in a pinned venv. A ModelSource, so `ModelStore.pull`
 * records the results in manifest.json with their sha256 like any fetched file.
 *
 * @example
 * const source = new OptimizedVariantSource({ variants: ['gpu-fp16'], venvDir: join(cacheDir, 'venv-optimize') });
 * await store.pull('all-MiniLM-L6-v2', [source]);
 */
export class OptimizedVariantSource implements ModelSource {
  readonly name = 'optimize';

  constructor(private readonly options: OptimizedVariantOptions) {}

  provides(): readonly string[] {
    return this.options.variants.map((variant) => VARIANT_FILES[variant]);
  }

  async fetch(entry: ModelCatalogueEntry, wanted: readonly string[], modelDir: string): Promise<readonly FetchedFile[]> {
    const scripts = optimizerScriptDir();
    const python = await ensureVenv(this.options.venvDir, join(scripts, 'requirements.txt'), this.options.log);
    const { heads, hidden } = await attentionShape(modelDir);
    const source = join(modelDir, MODEL_FILES.fp32);
    // -B: no __pycache__ written into the repository's scripts folder.
    const args = ['-B', join(scripts, 'optimize.py'), '--source', source, '--num-heads', String(heads), '--hidden-size', String(hidden)];
    if (wanted.includes(MODEL_FILES.gpuFp32)) args.push('--fp32-out', join(modelDir, MODEL_FILES.gpuFp32));
    if (wanted.includes(MODEL_FILES.gpuFp16)) args.push('--fp16-out', join(modelDir, MODEL_FILES.gpuFp16));
    this.options.log?.(`optimizing ${source} for ${entry.name}`);
    const stdout = await runOptimizer(python, args);
    this.options.onReport?.(JSON.parse(stdout) as OptimizeReport);
    const origin = `${this.name}:scripts/model-optimize from ${MODEL_FILES.fp32}@${(await sha256File(source)).slice(0, 12)}`;
    return Promise.all(
      wanted.map(async (path) => {
        const file = join(modelDir, path);
        return { path, sha256: await sha256File(file), bytes: (await stat(file)).size, source: origin };
      }),
    );
  }
}

/** Heads and hidden size from the model's own config.json, so the fusion matches the model. */
async function attentionShape(modelDir: string): Promise<{ heads: number; hidden: number }> {
  const config = JSON.parse(await readFile(join(modelDir, MODEL_FILES.config), 'utf8')) as { num_attention_heads?: number; hidden_size?: number };
  if (!config.num_attention_heads || !config.hidden_size) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `${join(modelDir, MODEL_FILES.config)} has no num_attention_heads/hidden_size`, { modelDir });
  }
  return { heads: config.num_attention_heads, hidden: config.hidden_size };
}

async function runOptimizer(python: string, args: string[]): Promise<string> {
  try {
    return (await run(python, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`optimize.py failed: ${stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}
