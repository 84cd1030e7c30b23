import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { MODEL_CATALOGUE, MODEL_FILES, type ModelCatalogueEntry } from './catalogue.js';
import { readModelDefinition, type ModelDefinition } from './modelDefinition.js';
import { VARIANT_FILES, type ModelVariant } from './variants.js';

export { MODEL_VARIANTS, VARIANT_FILES, type ModelVariant } from './variants.js';
export type { ModelDefinition, PoolingMode, PoolingSpec } from './modelDefinition.js';

export interface ModelInfo {
  /** The catalogue name, or the directory's name for a model directory outside the catalogue. */
  readonly name: string;
  readonly dir: string;
  readonly dimensions: number;
  /** sentence-transformers' max_seq_length (sentence_bert_config.json), at most maxPositions. */
  readonly maxSeqLength: number;
  /** Position-embedding table size: the hard upper bound for any truncation override. */
  readonly maxPositions: number;
  readonly tokenizerPath: string;
  /** Pooling, normalization, prompts and lower-casing, read from the model's own files. */
  readonly definition: ModelDefinition;
  onnxPath(variant: ModelVariant): string;
}

/**
 * The model in `dir`: config.json and the sentence-transformers definition files. `entry` is the
 * catalogue entry it was pulled as (default: the catalogue entry named like the directory, if
 * any); its declared prompts fill in for files without, and its stated width and length must
 * agree with the files.
 */
export async function readModelInfo(dir: string, entry: ModelCatalogueEntry | undefined = MODEL_CATALOGUE[basename(dir)]): Promise<ModelInfo> {
  const config = await readJson<{ hidden_size?: number; max_position_embeddings?: number }>(join(dir, MODEL_FILES.config));
  if (!config?.hidden_size) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `${join(dir, MODEL_FILES.config)} is missing or has no hidden_size`, { dir });
  }
  const maxPositions = config.max_position_embeddings ?? 512;
  const definition = await readModelDefinition(dir, config.hidden_size, maxPositions, entry ?? {});
  if (entry && (entry.dimensions !== config.hidden_size || entry.maxSeqLength !== definition.maxSeqLength)) {
    throw new EmbedlineError(
      'EMBEDLINE_CONFIG',
      `Model ${entry.name} in ${dir} has hidden_size ${config.hidden_size} and max_seq_length ${definition.maxSeqLength}; the catalogue says ${entry.dimensions} and ${entry.maxSeqLength}: the directory holds another model.`,
      { dir, name: entry.name },
    );
  }
  return {
    name: entry?.name ?? basename(dir),
    dir,
    dimensions: config.hidden_size,
    maxSeqLength: definition.maxSeqLength,
    maxPositions,
    tokenizerPath: join(dir, MODEL_FILES.tokenizer),
    definition,
    onnxPath: (variant) => join(dir, VARIANT_FILES[variant]),
  };
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
