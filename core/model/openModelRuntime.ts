import { access, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { EmbedlineConfig } from '../config/schema.js';
import { TextTokenizer } from '../encoder/TextTokenizer.js';
import type { ModelRuntime } from '../ports/ModelRuntime.js';
import { MODEL_CATALOGUE, MODEL_FILES, type ModelCatalogueEntry } from './catalogue.js';
import { catalogueEntry, type ModelManifest } from './ModelStore.js';
import { modelStoreFor } from './modelSources.js';
import { readModelInfo } from './modelInfo.js';
import { requireIntactModelFiles } from './modelIntegrity.js';
import { VARIANT_FILES } from './variants.js';

/**
 * A `model.name` with a path separator is a model directory (Hugging Face / sentence-transformers
 * layout) used in place; any other name is a catalogue entry in the model store.
 */
export function isModelDirectory(name: string): boolean {
  return /[\\/]/.test(name);
}

/** Finds (or, when allowed, pulls) the configured model and loads its tokenizer. */
export async function openModelRuntime(config: Readonly<EmbedlineConfig>, log: (line: string) => void = () => {}): Promise<ModelRuntime> {
  const name = config.model.name;
  const { dir, entry } = isModelDirectory(name) ? { dir: resolve(name), entry: MODEL_CATALOGUE[basename(resolve(name))] } : await storedModel(config, log);
  if (config.model.verifyOnStart && (await hasManifest(dir))) {
    // Everything the runtime reads now; other variants' graphs are checked when a device loads them.
    const manifest = JSON.parse(await readFile(join(dir, MODEL_FILES.manifest), 'utf8')) as ModelManifest;
    const loadedNow = Object.keys(manifest.files).filter((file) => !file.endsWith('.onnx') || file === VARIANT_FILES[config.model.variant]);
    await requireIntactModelFiles(basename(dir), dir, loadedNow);
  }
  const model = await readModelInfo(dir, entry);
  const maxTokens = Math.min(config.model.maxTokens ?? model.maxSeqLength, model.maxPositions);
  return { model, tokenizer: TextTokenizer.fromFile(model.tokenizerPath, maxTokens) };
}

async function storedModel(config: Readonly<EmbedlineConfig>, log: (line: string) => void): Promise<{ dir: string; entry: ModelCatalogueEntry }> {
  const { store, sources } = modelStoreFor(config);
  const name = config.model.name;
  const entry = catalogueEntry(name);
  const dir = config.model.autoPull ? await store.ensure(name, sources, log) : await store.requireModel(name);
  return { dir, entry };
}

async function hasManifest(dir: string): Promise<boolean> {
  return access(join(dir, MODEL_FILES.manifest)).then(() => true, () => false);
}
