import type { EmbedlineConfig } from '../config/schema.js';
import { TextTokenizer } from '../encoder/TextTokenizer.js';
import type { ModelRuntime } from '../ports/ModelRuntime.js';
import { catalogueEntry } from './ModelStore.js';
import { modelStoreFor } from './modelSources.js';
import { readModelInfo } from './modelInfo.js';
import { requireIntactModelFiles } from './modelIntegrity.js';
import { VARIANT_FILES } from './variants.js';

/** Finds (or, when allowed, pulls) the configured model and loads its tokenizer. */
export async function openModelRuntime(config: Readonly<EmbedlineConfig>, log: (line: string) => void = () => {}): Promise<ModelRuntime> {
  const { store, sources } = modelStoreFor(config);
  const name = config.model.name;
  const dir = config.model.autoPull ? await store.ensure(name, sources, log) : await store.requireModel(name);
  if (config.model.verifyOnStart) {
    // Everything the runtime reads now; other variants' graphs are checked when a device loads them.
    const manifest = await store.readManifest(name);
    const loadedNow = Object.keys(manifest.files).filter((file) => !file.endsWith('.onnx') || file === VARIANT_FILES[config.model.variant]);
    await requireIntactModelFiles(name, dir, loadedNow);
  }
  const model = await readModelInfo(dir, catalogueEntry(name).maxSeqLength);
  const maxTokens = Math.min(config.model.maxTokens ?? model.maxSeqLength, model.maxPositions);
  return { model, tokenizer: TextTokenizer.fromFile(model.tokenizerPath, maxTokens) };
}
