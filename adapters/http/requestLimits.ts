import { EmbedlineError } from '../../core/errors.js';
import { isPriority, type Priority } from '../../core/pipeline/types.js';

export interface InputLimits {
  readonly maxInputs: number;
  readonly maxInputChars: number;
}

/**
 * Normalizes OpenAI's `input` (string | string[]) and TEI's `inputs` into a list of texts,
 * rejecting token arrays and anything over the configured limits with a message that says
 * what to change.
 */
export function textsFrom(input: unknown, field: string, limits: InputLimits): string[] {
  if (input === undefined) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" is required: a string or an array of strings.`);
  const texts = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(texts)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" must be a string or an array of strings.`);
  if (texts.length === 0) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" must not be an empty array.`);
  if (texts.length > limits.maxInputs) {
    throw new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `"${field}" has ${texts.length} items; at most ${limits.maxInputs} are accepted per request. Split it into several requests.`);
  }
  texts.forEach((text: unknown, index) => {
    if (typeof text === 'number' || (Array.isArray(text) && text.every((t) => typeof t === 'number'))) {
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" holds token ids; this server accepts text only. Send the strings instead.`, { index });
    }
    if (typeof text !== 'string') throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}[${index}]" must be a string.`, { index });
    if (text.length > limits.maxInputChars) {
      throw new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `"${field}[${index}]" has ${text.length} characters; the limit is ${limits.maxInputChars}.`, { index });
    }
  });
  return texts as string[];
}

/** Priority from the body field, else the `X-Priority` header, else normal. */
export function priorityFrom(body: unknown, header: string | string[] | undefined): Priority {
  const value = (body as { priority?: unknown } | undefined)?.priority ?? (Array.isArray(header) ? header[0] : header);
  if (value === undefined) return 'normal';
  if (!isPriority(value)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `priority must be one of critical, normal, background; got ${shownValue(value)}.`);
  return value;
}

/**
 * A client's value as an error message shows it: JSON, cut short. Not String(): it throws on
 * parsed objects such as {"toString":1}, which turned a bad request into a 500.
 */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(typeof value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
