import { EmbedlineError } from '../errors.js';

/**
 * One signal for everything a request waits on: it aborts when the caller's signal does, or
 * with EMBEDLINE_TIMEOUT (naming the configured timeout) when the deadline passes.
 */
export function requestDeadline(timeoutMs: number, callerSignal?: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new EmbedlineError('EMBEDLINE_TIMEOUT', `The request did not finish within its ${timeoutMs} ms timeout.`, { timeoutMs })), Math.max(0, timeoutMs));
  const onAbort = (): void => controller.abort(new EmbedlineError('EMBEDLINE_CANCELLED', 'The caller cancelled the request.'));
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
