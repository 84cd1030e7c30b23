import { EmbedlineError, isEmbedlineError, type ErrorCode } from '../errors.js';

/**
 * An error as it crosses the worker-thread boundary. Structured clone keeps an Error's message
 * and stack but not its class, `code` or `context`, so an EmbedlineError thrown in the worker
 * is sent as plain fields and rebuilt on the main thread.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: ErrorCode | undefined;
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  readonly cause?: SerializedError | undefined;
}

/** Causes deeper than this are dropped: enough for "EmbedlineError caused by ORT's error". */
const MAX_CAUSES = 3;

export function serializeError(error: unknown, depth = 0): SerializedError {
  const base = error instanceof Error ? error : new Error(String(error));
  const cause = depth < MAX_CAUSES && base.cause !== undefined ? serializeError(base.cause, depth + 1) : undefined;
  return {
    name: base.name,
    message: base.message,
    stack: base.stack,
    ...(isEmbedlineError(base) ? { code: base.code, context: cloneableContext(base.context) } : {}),
    ...(cause ? { cause } : {}),
  };
}

/**
 * The error the caller sees: an EmbedlineError with the worker's code and context when the
 * worker threw one, else `fallback` (the code for that kind of failure); either way `cause` is
 * the worker-side error with the worker's stack.
 *
 * @example
 * const error = deserializeError(reply.error, (message, cause) => new EmbedlineError('EMBEDLINE_INFERENCE', message, {}, { cause }));
 */
export function deserializeError(serialized: SerializedError, fallback: (message: string, cause: Error) => EmbedlineError): EmbedlineError {
  const cause = workerSideError(serialized);
  if (serialized.code) return new EmbedlineError(serialized.code, serialized.message, serialized.context ?? {}, { cause });
  return fallback(serialized.message, cause);
}

/** The worker's error as a plain Error carrying the worker's stack (and its own causes). */
function workerSideError(serialized: SerializedError): Error {
  const error = new Error(serialized.message, serialized.cause ? { cause: workerSideError(serialized.cause) } : undefined);
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

/** A context that postMessage cannot clone (a function, say) would lose the whole reply; keep what can travel. */
function cloneableContext(context: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return structuredClone(context);
  } catch {
    return Object.fromEntries(Object.entries(context).filter(([, value]) => isCloneable(value)));
  }
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
