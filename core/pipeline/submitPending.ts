import { EmbedlineError } from '../errors.js';
import type { Batcher } from '../ports/Batcher.js';
import type { EmbedContext } from './EmbedContext.js';
import type { WorkItem } from './types.js';

/**
 * Queues the context's unsettled texts (their `ctx.tokenIds` are set) and waits for all of
 * them, or until `ctx.signal` aborts (caller gave up or the deadline passed), whichever comes
 * first. A request that gives up marks its texts cancelled so the batcher drops those not
 * yet running.
 */
export async function submitPending(ctx: EmbedContext, batcher: Batcher): Promise<void> {
  // Length order within a request keeps its batches free of padding even under FIFO batching.
  const pending = ctx.pending().sort((a, b) => idsOf(ctx, a).length - idsOf(ctx, b).length);
  if (pending.length === 0) return;
  if (ctx.signal.aborted) throw abortReason(ctx.signal);
  let gaveUp = false;
  const enqueuedAt = Date.now();
  const settled: Promise<void>[] = [];
  const items: WorkItem[] = pending.map((index) => {
    let resolve!: (v: Float32Array) => void;
    let reject!: (e: Error) => void;
    settled.push(new Promise<Float32Array>((res, rej) => ((resolve = res), (reject = rej))).then((v) => ctx.settle(index, v, 'computed')));
    return {
      ids: idsOf(ctx, index),
      priority: ctx.priority,
      variant: ctx.variant,
      enqueuedAt,
      deadline: ctx.deadline,
      requestId: ctx.requestId,
      spanContext: ctx.spanContext,
      isCancelled: () => gaveUp,
      resolve: (vector) => resolve(vector),
      reject: (error) => reject(error),
    };
  });

  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(ctx.signal));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    batcher.submit(items);
    await Promise.race([Promise.all(settled), giveUp]);
  } catch (error) {
    gaveUp = true;
    throw error;
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
    giveUp.catch(() => {});
    settled.forEach((p) => p.catch(() => {}));
  }
}

function idsOf(ctx: EmbedContext, index: number): Int32Array {
  const ids = ctx.tokenIds[index];
  if (!ids) throw new EmbedlineError('EMBEDLINE_INTERNAL', `text ${index} was queued before it was tokenized`);
  return ids;
}

/** The signal's reason when it is an EmbedlineError (timeout), else a cancellation. */
function abortReason(signal: AbortSignal): EmbedlineError {
  return signal.reason instanceof EmbedlineError ? signal.reason : new EmbedlineError('EMBEDLINE_CANCELLED', 'The caller cancelled the request.');
}
