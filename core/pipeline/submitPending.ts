import { EmbedlineError } from '../errors.js';
import type { TokenizedText } from '../encoder/TextTokenizer.js';
import type { Batcher } from '../ports/Batcher.js';
import type { EmbedContext } from './EmbedContext.js';
import type { WorkItem } from './types.js';

/**
 * Queues the context's unsettled texts and waits for all of them, or for the deadline or the
 * caller's abort, whichever comes first. A request that gives up marks its texts cancelled so
 * the batcher drops those not yet running.
 */
export async function submitPending(
  ctx: EmbedContext,
  tokens: readonly TokenizedText[],
  batcher: Batcher,
  limits: { deadline: number; signal?: AbortSignal | undefined },
): Promise<void> {
  // Length order within a request keeps its batches free of padding even under FIFO batching.
  const pending = ctx.pending().sort((a, b) => tokens[a]!.ids.length - tokens[b]!.ids.length);
  if (pending.length === 0) return;
  if (limits.signal?.aborted) throw cancelled();
  let gaveUp = false;
  const enqueuedAt = Date.now();
  const settled: Promise<void>[] = [];
  const items: WorkItem[] = pending.map((index) => {
    let resolve!: (v: Float32Array) => void;
    let reject!: (e: Error) => void;
    settled.push(new Promise<Float32Array>((res, rej) => ((resolve = res), (reject = rej))).then((v) => ctx.settle(index, v)));
    return {
      ids: tokens[index]!.ids,
      priority: ctx.priority,
      variant: ctx.variant,
      enqueuedAt,
      deadline: limits.deadline,
      requestId: ctx.requestId,
      spanContext: ctx.spanContext,
      isCancelled: () => gaveUp,
      resolve: (vector) => resolve(vector),
      reject: (error) => reject(error),
    };
  });

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EmbedlineError('EMBEDLINE_TIMEOUT', `The request did not finish within ${limits.deadline - enqueuedAt} ms.`)), Math.max(0, limits.deadline - enqueuedAt));
    onAbort = () => reject(cancelled());
    limits.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    batcher.submit(items);
    await Promise.race([Promise.all(settled), giveUp]);
  } catch (error) {
    gaveUp = true;
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) limits.signal?.removeEventListener('abort', onAbort);
    giveUp.catch(() => {});
    settled.forEach((p) => p.catch(() => {}));
  }
}

function cancelled(): EmbedlineError {
  return new EmbedlineError('EMBEDLINE_CANCELLED', 'The caller cancelled the request.');
}
