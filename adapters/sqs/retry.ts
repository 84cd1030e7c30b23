import { setTimeout as sleep } from 'node:timers/promises';

/** How often and how patiently to retry one call. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs?: number;
}

export interface RetryOptions {
  /** Errors for which another attempt cannot help end the retries at once. */
  readonly isRetryable?: (error: unknown) => boolean;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `operation` up to `policy.attempts` times with exponential backoff and jitter between
 * attempts; rethrows the last error.
 *
 * @example
 * await withRetry(() => sqs.send(new DeleteMessageBatchCommand(input)), { attempts: 4, baseMs: 200 }, { isRetryable: isTransientAwsError });
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const retryable = options.isRetryable?.(error) ?? true;
      if (!retryable || attempt >= policy.attempts || options.signal?.aborted) throw error;
      const delayMs = backoffDelayMs(attempt, policy.baseMs, policy.maxMs ?? policy.baseMs * 32);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries
 * from many workers spread out but none comes back immediately.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * The visibility timeout for a message whose attempt failed for a retryable reason: it doubles
 * with every receive, so an outage costs few receives (each counts towards maxReceiveCount).
 */
export function failureVisibilitySec(receiveCount: number, baseSec: number, maxSec: number): number {
  return Math.min(maxSec, baseSec * 2 ** Math.max(0, Math.min(30, receiveCount - 1)));
}

const TRANSIENT_NAMES = new Set(['ThrottlingException', 'RequestThrottled', 'ServiceUnavailable', 'InternalError', 'InternalFailure', 'KmsThrottled', 'TimeoutError', 'RequestTimeout', 'SlowDown']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

/** Throttling, 5xx and network errors: worth another attempt. Access and validation errors are not. */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === undefined ? e.name !== 'AbortError' : status >= 500 || status === 429;
}
