import { z } from 'zod';
import { PRIORITIES, type Priority } from '../../../core/pipeline/types.js';
import type { ResultFormat } from '../../../core/ports/ResultSink.js';

/** The contract version this build reads; producers put it in `v`. */
export const MESSAGE_VERSION = 1;

/**
 * Ids become file names and S3 keys, so they are restricted to characters that are safe in both
 * and cannot climb out of a directory ("." and ".." are impossible: the first character is alphanumeric).
 */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Version 1 of the request body (docs/sqs.md). Strict: unknown fields are rejected, so a typo
 * fails loudly instead of being ignored; new fields come with a new version.
 * Lengths and counts are checked after parsing, so each limit gets its own reason.
 */
export const embedMessageV1 = z.strictObject({
  v: z.literal(MESSAGE_VERSION),
  id: z.string().regex(MESSAGE_ID_PATTERN, 'must be 1-128 characters of [A-Za-z0-9._-], starting with a letter or digit'),
  texts: z.array(z.string()).optional(),
  text: z.string().optional(),
  priority: z.enum(PRIORITIES).optional(),
  /** The precision to embed at (docs/precision.md); the consumer's policy names the valid ones. */
  precision: z.string().min(1).max(64).optional(),
  /** A served model's id (`models` in config); absent: the consumer's first. Unknown: unsupported_model, to the DLQ. */
  model: z.string().min(1).optional(),
  /** The texts' role, mapped to the model's query or document prompt (docs/models.md). */
  inputType: z.enum(['query', 'document']).optional(),
  /** One of the model's prompts by name; unknown names fail the message (embed_failed, not retried). */
  promptName: z.string().min(1).max(128).optional(),
  sink: z
    .strictObject({
      /** Queue URL the sqs sink sends this result to instead of the configured results queue. */
      replyTo: z.url().optional(),
      format: z.enum(['jsonl', 'npy']).optional(),
    })
    .optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export type EmbedMessageV1 = z.infer<typeof embedMessageV1>;

/** A valid message, normalized: always a list of texts and a resolved priority. */
export interface EmbedMessage {
  readonly id: string;
  readonly texts: readonly string[];
  readonly priority: Priority;
  /** As the producer named it; undefined lets the consumer's policy decide by priority. */
  readonly precision?: string | undefined;
  readonly model?: string | undefined;
  readonly inputType?: 'query' | 'document' | undefined;
  readonly promptName?: string | undefined;
  readonly replyTo?: string | undefined;
  readonly format?: ResultFormat | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
}

/** The limits a message is checked against (config `sqs.*`). */
export interface MessageLimits {
  readonly maxTextsPerMessage: number;
  readonly maxTextChars: number;
  readonly maxMessageBytes: number;
  /** The model a message that names none gets (the consumer's first served model). */
  readonly model: string;
  /** Every model id this consumer serves (default: `model` alone); a message naming another one is rejected. */
  readonly models?: readonly string[] | undefined;
  readonly defaultPriority: Priority;
}
