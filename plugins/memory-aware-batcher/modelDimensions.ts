import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../../core/errors.js';

/** The transformer's dimensions, as Hugging Face's config.json names them. */
export interface ModelDimensions {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediateSize: number;
}

const FIELDS = { hiddenSize: 'hidden_size', layers: 'num_hidden_layers', heads: 'num_attention_heads', intermediateSize: 'intermediate_size' } as const;

/** Reads the dimensions from `<modelDir>/config.json`; a missing or non-positive field is EMBEDLINE_MODEL_NOT_FOUND naming it. */
export async function readModelDimensions(modelDir: string): Promise<ModelDimensions> {
  const path = join(modelDir, 'config.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `memory-aware-batcher needs the model's dimensions from ${path}, which could not be read: ${(cause as Error).message}`, { path, cause });
  }
  return parseModelDimensions(json, path);
}

export function parseModelDimensions(json: Record<string, unknown>, path: string): ModelDimensions {
  const entries = Object.entries(FIELDS).map(([key, field]) => {
    const value = json[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `${path}: "${field}" must be a positive integer (got ${JSON.stringify(value)}); memory-aware-batcher sizes batches from it.`, { path, field });
    }
    return [key, value];
  });
  return Object.fromEntries(entries) as unknown as ModelDimensions;
}
