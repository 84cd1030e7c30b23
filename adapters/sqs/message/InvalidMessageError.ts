import { EmbedlineError, type ErrorCode } from '../../../core/errors.js';
import type { FailureReason } from './failureReasons.js';

/** A message that breaks the contract; it fails alone, is never retried into success, and ends in the DLQ. */
export class InvalidMessageError extends EmbedlineError {
  constructor(
    readonly reason: FailureReason,
    message: string,
    code: ErrorCode = 'EMBEDLINE_BAD_INPUT',
    context: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message, { reason, ...context });
  }
}
