import { EmbedlineError } from '../../../core/errors.js';
import type { Priority } from '../../../core/pipeline/types.js';
import { MESSAGE_ID_PATTERN, MESSAGE_VERSION } from '../message/embedMessage.js';

export interface InputText {
  readonly id: string;
  readonly text: string;
}

export interface OutgoingMessage {
  readonly id: string;
  readonly body: string;
  readonly texts: number;
}

export interface BuildOptions {
  readonly textsPerMessage: number;
  /** Prepended to every message id, so line numbers from different files do not collide. */
  readonly idPrefix: string;
  readonly priority?: Priority | undefined;
  /** The served model's id the consumer embeds with (absent: its first). */
  readonly model?: string | undefined;
  readonly inputType?: 'query' | 'document' | undefined;
  readonly promptName?: string | undefined;
  /** Recorded in each message's metadata with the row ids, so results map back to input rows. */
  readonly source: string;
  readonly maxMessageBytes: number;
}

/**
 * Groups input rows into version-1 messages of `textsPerMessage` texts. A message's id is the
 * prefix plus its row id (or first-last row ids), so enqueueing the same file twice targets the
 * same results. Fails before anything is sent if an id is unusable, repeated, or a body too big.
 *
 * @example
 * buildMessages([{ id: '1', text: 'hello' }], { textsPerMessage: 1, idPrefix: 'notes-', source: 'notes.txt', maxMessageBytes: 262_144 });
 * // [{ id: 'notes-1', body: '{"v":1,"id":"notes-1","texts":["hello"],"metadata":{"source":"notes.txt","rows":["1"]}}', texts: 1 }]
 */
export function buildMessages(rows: readonly InputText[], options: BuildOptions): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i += options.textsPerMessage) {
    const group = rows.slice(i, i + options.textsPerMessage);
    const first = group[0]!.id;
    const last = group[group.length - 1]!.id;
    const id = `${options.idPrefix}${group.length === 1 ? first : `${first}-${last}`}`;
    if (!MESSAGE_ID_PATTERN.test(id)) throw usage(`"${id}" cannot be a message id (1-128 of [A-Za-z0-9._-], starting with a letter or digit); change --id-prefix or the input's ids.`);
    if (seen.has(id)) throw usage(`Two messages would have the id "${id}" and overwrite each other's result; make the input's ids unique.`);
    seen.add(id);
    const body = JSON.stringify({
      v: MESSAGE_VERSION,
      id,
      texts: group.map((row) => row.text),
      ...(options.priority ? { priority: options.priority } : {}),
      ...(options.model ? { model: options.model } : {}),
      ...(options.inputType ? { inputType: options.inputType } : {}),
      ...(options.promptName ? { promptName: options.promptName } : {}),
      metadata: { source: options.source, rows: group.map((row) => row.id) },
    });
    const bytes = Buffer.byteLength(body);
    if (bytes > options.maxMessageBytes) throw usage(`Message "${id}" would be ${bytes} bytes, over the ${options.maxMessageBytes}-byte limit; lower --texts-per-message.`);
    messages.push({ id, body, texts: group.length });
  }
  return messages;
}

/** A prefix from a file name: its base name without extension, reduced to id-safe characters. */
export function defaultIdPrefix(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return safe ? `${safe}-` : '';
}

function usage(message: string): EmbedlineError {
  return new EmbedlineError('EMBEDLINE_BAD_INPUT', message);
}
