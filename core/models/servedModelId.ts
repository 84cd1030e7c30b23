import { basename } from 'node:path';

/**
 * One entry of the config's `models` list: a catalogue name (or a model directory path) as is,
 * or an object that may serve it under its own id, at its own variant and truncation, lazily.
 */
export type ServedModelEntry =
  | string
  | { readonly id?: string | undefined; readonly name: string; readonly variant?: string | undefined; readonly maxTokens?: number | undefined; readonly lazy?: boolean | undefined };

/**
 * Ids appear in URLs (`/v1/models/{id}/quantization`), metric labels and SQS messages, so they
 * keep to characters that are safe in all three.
 */
export const SERVED_MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The id requests name a served model by: the entry's `id`, else its name; a directory path
 * (a name with a slash) is served under its last path segment.
 *
 * @example
 * servedModelId('all-MiniLM-L6-v2');                                   // 'all-MiniLM-L6-v2'
 * servedModelId({ id: 'minilm-int8', name: 'all-MiniLM-L6-v2' });     // 'minilm-int8'
 * servedModelId('/models/my-bge');                                     // 'my-bge'
 */
export function servedModelId(entry: ServedModelEntry): string {
  if (typeof entry !== 'string' && entry.id !== undefined) return entry.id;
  const name = typeof entry === 'string' ? entry : entry.name;
  return /[\\/]/.test(name) ? basename(name.replace(/[\\/]+$/, '')) : name;
}
