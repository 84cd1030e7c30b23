import { EmbedlineError } from '../../core/errors.js';
import { isPriority, type Priority } from '../../core/pipeline/types.js';
import type { TokenIdDecoder } from './tokenIds/TokenIdDecoder.js';

export interface InputLimits {
  readonly maxInputs: number;
  readonly maxInputChars: number;
}

/**
 * The texts of OpenAI's `input` / TEI's `inputs`, token-id inputs included: an array of ids, or
 * an array of such arrays, as LangChain's `OpenAIEmbeddings` sends by default, is decoded back
 * to text (the ids are tiktoken's, not this model's) and then embedded like that text. Without
 * a decoder (`http.tokenIds: off`) token ids are refused.
 */
export async function inputTexts(input: unknown, field: string, limits: InputLimits, decoder: TokenIdDecoder | undefined): Promise<string[]> {
  const idLists = tokenIdLists(input);
  if (!idLists || !decoder) return textsFrom(input, field, limits, decoder !== undefined);
  if (idLists.length > limits.maxInputs) {
    throw new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `"${field}" has ${idLists.length} token-id inputs; at most ${limits.maxInputs} are accepted per request. Split it into several requests.`);
  }
  idLists.forEach((ids, index) => {
    // Every id decodes to at least one byte, so more ids than the character limit cannot fit it.
    if (ids.length > limits.maxInputChars) {
      throw new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `"${field}[${index}]" has ${ids.length} token ids; the limit is ${limits.maxInputChars} characters.`, { index });
    }
  });
  return textsFrom(await decoder.decode(idLists, field), field, limits);
}

/** `[1, 2]` → one input; `[[1, 2], [3]]` → two; anything else (texts, mixtures) → undefined. */
function tokenIdLists(input: unknown): number[][] | undefined {
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  if (input.every((item) => Array.isArray(item) && item.every((id) => typeof id === 'number'))) return input as number[][];
  return undefined;
}

/**
 * Normalizes OpenAI's `input` (string | string[]) and TEI's `inputs` into a list of texts,
 * rejecting token arrays and anything over the configured limits with a message that says
 * what to change.
 */
export function textsFrom(input: unknown, field: string, limits: InputLimits, tokenIdsAccepted = false): string[] {
  if (input === undefined) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" is required: a string or an array of strings.`);
  const texts = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(texts)) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" must be a string or an array of strings.`);
  if (texts.length === 0) throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" must not be an empty array.`);
  if (texts.length > limits.maxInputs) {
    throw new EmbedlineError('EMBEDLINE_INPUT_TOO_LARGE', `"${field}" has ${texts.length} items; at most ${limits.maxInputs} are accepted per request. Split it into several requests.`);
  }
  texts.forEach((text: unknown, index) => {
    if (typeof text === 'number' || (Array.isArray(text) && text.every((t) => typeof t === 'number'))) {
      const why = tokenIdsAccepted ? 'mixed with strings; send either strings or token-id lists, not both' : 'which this server is configured not to decode (http.tokenIds: off); send the strings instead';
      throw new EmbedlineError('EMBEDLINE_BAD_INPUT', `"${field}" holds token ids, ${why}.`, { index });
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
