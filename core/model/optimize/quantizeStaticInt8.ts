import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../../errors.js';
import { MODEL_FILES } from '../catalogue.js';
import type { ModelStore, PullLogger } from '../ModelStore.js';
import { StaticInt8Source } from './StaticInt8Source.js';

export interface StaticInt8Outcome {
  /** False when manifest.json already recorded the variant and its file was on disk. */
  readonly built: boolean;
  /** quantize_static.py's JSON report (calibration count, operator counts) when built. */
  readonly report?: unknown;
}

/**
 * Builds the int8-static variant of a pulled model and records it in manifest.json (its entry
 * names the calibration texts' digest), unless the manifest already records it and the file is
 * there; `force` rebuilds, e.g. on other calibration texts.
 *
 * @example
 * await quantizeStaticInt8(store, 'all-MiniLM-L6-v2', { calibrationTexts, venvDir: join(cacheDir, 'venv-optimize') });
 */
export async function quantizeStaticInt8(
  store: ModelStore,
  name: string,
  options: { calibrationTexts: readonly string[]; venvDir: string; excludeNodes?: readonly string[]; force?: boolean; log?: PullLogger },
): Promise<StaticInt8Outcome> {
  const dir = await store.requireModel(name);
  const recorded = Boolean((await store.readManifest(name)).files[MODEL_FILES.int8Static]);
  const present = await access(join(dir, MODEL_FILES.int8Static)).then(() => true, () => false);
  if (!options.force && recorded && present) return { built: false };
  let report: unknown;
  const source = new StaticInt8Source({ ...options, onReport: (r) => (report = r) });
  const pulled = await store.pull(name, [source], options.log);
  if (pulled.failures.length > 0) {
    throw new EmbedlineError('EMBEDLINE_MODEL_FETCH', `Could not build int8-static for ${name}: ${pulled.failures.map((f) => f.reason).join('; ')}`, { failures: pulled.failures });
  }
  return { built: true, report };
}
