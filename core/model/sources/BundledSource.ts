import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelCatalogueEntry } from '../catalogue.js';
import { sha256Buffer } from '../fileDigest.js';
import type { FetchedFile, ModelSource } from './ModelSource.js';

/** Where the repository keeps model files no registry carries (docs/models.md "Files shipped here"). */
export const BUNDLED_MODELS_DIR = join('config', 'models');

/**
 * The repository root: walked up from this file, because it runs both from source and from dist/.
 * Undefined in an image that shipped dist/ alone (its models were pulled at build time).
 */
function repositoryRoot(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, BUNDLED_MODELS_DIR))) return dir;
  }
  return undefined;
}

/**
 * Files shipped in this repository under config/models/<name>/ (the sentence-transformers
 * configuration of models whose registry artifacts carry only the ONNX graph and tokenizer).
 * Always asked first: it needs no network, and each file is checked against its pin, like a
 * registry artifact's.
 */
export class BundledSource implements ModelSource {
  readonly name = 'embedline';

  constructor(private readonly root: string | undefined = repositoryRoot()) {}

  provides(entry: ModelCatalogueEntry): readonly string[] {
    return this.root ? entry.bundled : [];
  }

  async fetch(entry: ModelCatalogueEntry, wanted: readonly string[], modelDir: string): Promise<readonly FetchedFile[]> {
    if (!this.root) throw new Error(`${BUNDLED_MODELS_DIR} is not beside this installation`);
    const fetched: FetchedFile[] = [];
    for (const file of wanted.filter((f) => entry.bundled.includes(f))) {
      const shipped = join(BUNDLED_MODELS_DIR, entry.name, file).split('\\').join('/');
      const data = await readFile(join(this.root, shipped));
      const sha256 = sha256Buffer(data);
      const pin = entry.pins[shipped];
      if (pin !== sha256) throw new Error(`${shipped} sha256 ${sha256} does not match pin ${pin ?? '(none)'}`);
      const target = join(modelDir, file);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(this.root, shipped), `${target}.partial`);
      await rename(`${target}.partial`, target);
      fetched.push({ path: file, sha256, bytes: data.length, source: `${this.name}:${shipped}` });
    }
    return fetched;
  }
}
