import type { z } from 'zod';
import { isPriority } from '../../../core/pipeline/types.js';
import { embedMessageV1, MESSAGE_VERSION, type EmbedMessage, type EmbedMessageV1, type MessageLimits } from './embedMessage.js';
import { InvalidMessageError } from './InvalidMessageError.js';

/** The parts of a queued message the contract looks at. */
export interface MessageInput {
  readonly body: string;
  /** The `priority` message attribute; the body's `priority` field wins over it. */
  readonly priorityAttribute?: string | undefined;
}

/**
 * Checks a message body against the contract and its limits, cheapest check first, and returns
 * it normalized. Throws {@link InvalidMessageError} naming the reason and what to change.
 *
 * @example
 * const message = parseEmbedMessage({ body: '{"v":1,"id":"doc-1","text":"hello"}' }, limits);
 * message.texts; // ['hello']
 */
export function parseEmbedMessage(input: MessageInput, limits: MessageLimits): EmbedMessage {
  const bytes = Buffer.byteLength(input.body, 'utf8');
  if (bytes > limits.maxMessageBytes) {
    throw new InvalidMessageError('message_too_large', `The body has ${bytes} bytes; the limit is ${limits.maxMessageBytes}. Put fewer texts in each message.`, 'EMBEDLINE_INPUT_TOO_LARGE', { bytes });
  }
  const raw = parseJson(input.body);
  const message = checkShape(raw);
  const texts = message.texts ?? (message.text === undefined ? [] : [message.text]);
  checkTexts(texts, limits);
  const served = limits.models ?? [limits.model];
  if (message.model !== undefined && !served.includes(message.model)) {
    throw new InvalidMessageError('unsupported_model', `"model" is "${message.model}" but this consumer serves ${served.map((m) => `"${m}"`).join(', ')}; send it to that model's queue or drop the field.`, 'EMBEDLINE_BAD_INPUT', { served });
  }
  return {
    id: message.id,
    texts,
    priority: message.priority ?? priorityFromAttribute(input.priorityAttribute) ?? limits.defaultPriority,
    precision: message.precision,
    model: message.model,
    inputType: message.inputType,
    promptName: message.promptName,
    replyTo: message.sink?.replyTo,
    format: message.sink?.format,
    metadata: message.metadata,
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    // V8's message quotes part of the body, which would carry request text into logs and failures.jsonl.
    const position = syntaxErrorPosition(body);
    throw new InvalidMessageError('malformed_json', `The body is not valid JSON (syntax error at character ${position} of ${body.length}); send {"v":1,"id":"…","texts":["…"]}.`, 'EMBEDLINE_BAD_INPUT', { position });
  }
}

/**
 * Where JSON.parse gave up, without any of the body's content. The position comes from V8's
 * message when it names one; otherwise ("Unexpected token") it is the shortest prefix whose
 * parse fails before its own end, found by bisection: shorter prefixes only run out of input.
 */
export function syntaxErrorPosition(body: string): number {
  const stated = failureOf(body);
  if (stated?.position !== undefined) return stated.position;
  if (stated?.endOfInput) return body.length;
  let good = 0;
  let bad = body.length;
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    if (failsInside(body.slice(0, middle))) bad = middle;
    else good = middle;
  }
  return bad - 1;
}

function failsInside(prefix: string): boolean {
  const failure = failureOf(prefix);
  if (failure === undefined || failure.endOfInput) return false;
  return failure.position === undefined || failure.position < prefix.length;
}

function failureOf(text: string): { position?: number; endOfInput: boolean } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    return { endOfInput: message.includes('Unexpected end of JSON input'), ...(position === undefined ? {} : { position: Number(position) }) };
  }
}

function checkShape(raw: unknown): EmbedMessageV1 {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidMessageError('invalid_message', `The body must be a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}.`);
  }
  const version = (raw as { v?: unknown }).v;
  if (version === undefined) throw new InvalidMessageError('invalid_message', `"v" is missing; this consumer reads version ${MESSAGE_VERSION}.`);
  if (version !== MESSAGE_VERSION) {
    throw new InvalidMessageError('unsupported_version', `"v" is ${JSON.stringify(version)}; this consumer reads version ${MESSAGE_VERSION} only.`, 'EMBEDLINE_BAD_INPUT', { version });
  }
  const parsed = embedMessageV1.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issueMessage(issue)}`);
    throw new InvalidMessageError('invalid_message', `The message does not match version ${MESSAGE_VERSION}: ${problems.join('; ')}.`, 'EMBEDLINE_BAD_INPUT', { problems });
  }
  const message = parsed.data;
  if ((message.texts === undefined) === (message.text === undefined)) {
    throw new InvalidMessageError('invalid_message', 'Send exactly one of "texts" (an array of strings) or "text" (a string).');
  }
  return message;
}

/**
 * Zod's message, except for unknown keys: zod lists every one in full, and a key is client text
 * that would reach the DLQ reason and the logs unbounded. At most three are named, each cut short.
 */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const shown = issue.keys.slice(0, 3).map((key) => JSON.stringify(key.length > 32 ? `${key.slice(0, 32)}…` : key));
  const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : '';
  return `unknown field${issue.keys.length === 1 ? '' : 's'} ${shown.join(', ')}${more}`;
}

function checkTexts(texts: readonly string[], limits: MessageLimits): void {
  if (texts.length === 0) throw new InvalidMessageError('empty_texts', '"texts" is empty; send at least one text.');
  if (texts.length > limits.maxTextsPerMessage) {
    throw new InvalidMessageError('too_many_texts', `"texts" has ${texts.length} items; at most ${limits.maxTextsPerMessage} per message. Split it into several messages.`, 'EMBEDLINE_INPUT_TOO_LARGE', { count: texts.length });
  }
  const index = texts.findIndex((text) => text.length > limits.maxTextChars);
  if (index >= 0) {
    throw new InvalidMessageError('text_too_long', `Text ${index} has ${texts[index]!.length} characters; the limit is ${limits.maxTextChars}. Shorten or split it.`, 'EMBEDLINE_INPUT_TOO_LARGE', { index });
  }
}

function priorityFromAttribute(value: string | undefined): EmbedMessage['priority'] | undefined {
  if (value === undefined) return undefined;
  if (!isPriority(value)) throw new InvalidMessageError('invalid_message', `The "priority" attribute is "${value}"; use critical, normal or background.`);
  return value;
}
