/**
 * Why a queued message did not become a result: a log field, a metrics label and a line in
 * `failures/failures.jsonl`. Each is documented in docs/sqs.md (a unit test keeps both in step).
 */
export const FAILURE_REASONS = [
  'malformed_json',
  'invalid_message',
  'unsupported_version',
  'empty_texts',
  'too_many_texts',
  'text_too_long',
  'message_too_large',
  'unsupported_model',
  'embed_failed',
  'sink_failed',
  'deadline',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Reasons that no retry can fix: the message goes to the dead-letter queue as fast as redrive allows. */
export const PERMANENT_REASONS: ReadonlySet<FailureReason> = new Set<FailureReason>([
  'malformed_json',
  'invalid_message',
  'unsupported_version',
  'empty_texts',
  'too_many_texts',
  'text_too_long',
  'message_too_large',
  'unsupported_model',
]);
