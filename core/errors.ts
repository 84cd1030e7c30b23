/**
 * Every failure Embedline reports carries a stable `code`, so adapters can map it
 * (HTTP status, SQS DLQ reason) without parsing messages.
 *
 * @example
 * throw new EmbedlineError('EMBEDLINE_BAD_INPUT', 'input[3] must be a string, got number', { index: 3 });
 */
export const ERROR_CODES = {
  EMBEDLINE_BAD_INPUT: 'The request or message was malformed; fix the input and retry.',
  EMBEDLINE_UNKNOWN_PRECISION: 'The request named a precision this server does not serve; the message lists the valid ones (without the precision plugin only fp32).',
  EMBEDLINE_NOT_CALIBRATED: 'The model has no quantization calibration (quantization.json); run `embedline model calibrate --texts FILE`.',
  EMBEDLINE_INPUT_TOO_LARGE: 'An input exceeded a configured limit (texts per request, characters, bytes).',
  EMBEDLINE_OVERLOADED: 'The queue is full; retry after the advertised delay.',
  EMBEDLINE_TIMEOUT: 'The request did not complete within its deadline.',
  EMBEDLINE_CANCELLED: 'The caller cancelled the request before it was embedded.',
  EMBEDLINE_UNAUTHORIZED: 'A bearer token is required and was missing or wrong.',
  EMBEDLINE_NOT_READY: 'The model is still loading.',
  EMBEDLINE_SHUTTING_DOWN: 'The process is draining and accepts no new work.',
  EMBEDLINE_CONFIG: 'The configuration is invalid; the message lists every problem with its path.',
  EMBEDLINE_PLUGIN_MISSING: 'A plugin requires another plugin that is not enabled.',
  EMBEDLINE_PLUGIN_CONFLICT: 'Two enabled plugins provide the same service; enable only one of them.',
  EMBEDLINE_STAGE_FAILED: 'A pipeline stage (a plugin\'s request or result stage) failed unexpectedly; the error names the stage.',
  EMBEDLINE_MODEL_NOT_FOUND: 'The model files are not on disk; run `embedline model pull`.',
  EMBEDLINE_NOT_ENABLED: 'The request needs a feature this server was not configured with (e.g. POST /v1/search without the cache plugin\'s search); the message says how to enable it.',
  EMBEDLINE_MODEL_INTEGRITY: 'A model file does not match its recorded sha256.',
  EMBEDLINE_MODEL_FETCH: 'No source could provide the model files.',
  EMBEDLINE_INFERENCE: 'ONNX Runtime failed while running a batch.',
  EMBEDLINE_WORKER_CRASHED: 'An inference worker thread exited while running a batch.',
  EMBEDLINE_DEVICE_UNAVAILABLE: 'An accelerator execution provider (webgpu, cuda) was asked for and cannot start on this machine.',
  EMBEDLINE_SINK: 'Writing a result failed; the message is kept for retry.',
  EMBEDLINE_QUEUE: 'An SQS call (receive, delete, change visibility, send) failed; transient failures are retried with backoff.',
  EMBEDLINE_INTERNAL: 'An unexpected internal error.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class EmbedlineError extends Error {
  override readonly name = 'EmbedlineError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Client errors are the caller's to fix; they do not count against availability SLOs. */
  get isClientError(): boolean {
    return CLIENT_ERROR_CODES.has(this.code);
  }

  toJSON(): { code: ErrorCode; message: string; context: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, context: this.context };
  }
}

const CLIENT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'EMBEDLINE_BAD_INPUT',
  'EMBEDLINE_UNKNOWN_PRECISION',
  'EMBEDLINE_INPUT_TOO_LARGE',
  'EMBEDLINE_CANCELLED',
  'EMBEDLINE_UNAUTHORIZED',
  'EMBEDLINE_NOT_ENABLED',
]);

export function isEmbedlineError(error: unknown): error is EmbedlineError {
  return error instanceof EmbedlineError;
}

/** Wraps anything thrown into an EmbedlineError, keeping the original as `cause`. */
export function toEmbedlineError(error: unknown, fallback: ErrorCode = 'EMBEDLINE_INTERNAL'): EmbedlineError {
  if (error instanceof EmbedlineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EmbedlineError(fallback, message, {}, { cause: error });
}
