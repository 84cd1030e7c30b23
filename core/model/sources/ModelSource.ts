import type { ModelCatalogueEntry } from '../catalogue.js';

/** One file a source placed in the model directory, with where it came from. */
export interface FetchedFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly source: string;
}

/**
 * A place model files can come from. The puller asks each source in turn for the files
 * still missing, so a source may supply only part of a model.
 *
 * @example
 * const files = await new HubSource().fetch(entry, ['config.json'], '/models/all-MiniLM-L6-v2');
 */
export interface ModelSource {
  readonly name: string;
  provides(entry: ModelCatalogueEntry): readonly string[];
  fetch(entry: ModelCatalogueEntry, wanted: readonly string[], modelDir: string): Promise<readonly FetchedFile[]>;
}
