import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { MODEL_FILES } from './catalogue.js';
import { VARIANT_FILES, type ModelVariant } from './variants.js';

export { MODEL_VARIANTS, VARIANT_FILES, type ModelVariant } from './variants.js';

export interface ModelInfo {
  readonly dir: string;
  readonly dimensions: number;
  /** sentence-transformers' max_seq_length when the directory has it, else the given default. */
  readonly maxSeqLength: number;
  /** Position-embedding table size: the hard upper bound for any truncation override. */
  readonly maxPositions: number;
  readonly tokenizerPath: string;
  onnxPath(variant: ModelVariant): string;
}

export async function readModelInfo(dir: string, defaultMaxSeqLength: number): Promise<ModelInfo> {
  const config = await readJson<{ hidden_size?: number; max_position_embeddings?: number }>(join(dir, MODEL_FILES.config));
  if (!config?.hidden_size) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `${join(dir, MODEL_FILES.config)} is missing or has no hidden_size`, { dir });
  }
  const sbert = await readJson<{ max_seq_length?: number }>(join(dir, MODEL_FILES.sentenceBertConfig));
  const maxPositions = config.max_position_embeddings ?? 512;
  const maxSeqLength = Math.min(sbert?.max_seq_length ?? defaultMaxSeqLength, maxPositions);
  return {
    dir,
    dimensions: config.hidden_size,
    maxSeqLength,
    maxPositions,
    tokenizerPath: join(dir, MODEL_FILES.tokenizer),
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
