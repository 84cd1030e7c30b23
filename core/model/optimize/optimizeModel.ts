import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../../errors.js';
import type { ModelStore, PullLogger } from '../ModelStore.js';
import { VARIANT_FILES } from '../modelInfo.js';
import type { OptimizeReport } from './optimizeReport.js';
import { OptimizedVariantSource, type OptimizedVariant } from './OptimizedVariantSource.js';

export interface OptimizeOutcome {
  /** Variants built by this call; empty when all were already recorded and present. */
  readonly built: readonly OptimizedVariant[];
  readonly report?: OptimizeReport;
}

/**
 * Builds the requested GPU-ready variants of a pulled model unless manifest.json already records
 * them and they are on disk (`force` rebuilds). The model itself must already be pulled.
 *
 * @example
 * await optimizeModel(store, 'all-MiniLM-L6-v2', { variants: ['gpu-fp16'], venvDir: join(cacheDir, 'venv-optimize') });
 */
export async function optimizeModel(
  store: ModelStore,
  name: string,
  options: { variants: readonly OptimizedVariant[]; venvDir: string; force?: boolean; log?: PullLogger },
): Promise<OptimizeOutcome> {
  const dir = await store.requireModel(name);
  const manifest = await store.readManifest(name);
  const present = async (variant: OptimizedVariant): Promise<boolean> =>
    Boolean(manifest.files[VARIANT_FILES[variant]]) && (await access(join(dir, VARIANT_FILES[variant])).then(() => true, () => false));
  const missing: OptimizedVariant[] = [];
  for (const variant of options.variants) if (options.force || !(await present(variant))) missing.push(variant);
  if (missing.length === 0) return { built: [] };
  let report: OptimizeReport | undefined;
  const source = new OptimizedVariantSource({ variants: missing, venvDir: options.venvDir, log: options.log, onReport: (r) => (report = r) });
  const pulled = await store.pull(name, [source], options.log);
  if (pulled.failures.length > 0) {
    throw new EmbedlineError('EMBEDLINE_MODEL_FETCH', `Could not build ${missing.join(', ')} for ${name}: ${pulled.failures.map((f) => f.reason).join('; ')}`, { failures: pulled.failures });
  }
  return { built: missing, ...(report ? { report } : {}) };
}
