import { EmbedlineError } from '../errors.js';
import type { Batcher } from '../ports/Batcher.js';
import type { EmbedContext } from './EmbedContext.js';
import type { WorkItem } from './types.js';

/**
 * Queues the context's unsettled texts (their `ctx.tokenIds` are set) and waits for all of
 * them, or until `ctx.signal` aborts (caller gave up or the deadline passed), whichever comes
 * first. A request that gives up marks its texts cancelled so the batcher drops those not
 * yet running. Texts of the request with the same token ids (a text repeated in one request)
 * are queued once; every one of them gets its own copy of that one vector, bit for bit.
 */
export async function submitPending(ctx: EmbedContext, batcher: Batcher): Promise<void> {
  // Length order within a request keeps its batches free of padding even under FIFO batching.
  const pending = sameIds(ctx, ctx.pending()).sort((a, b) => idsOf(ctx, a[0]!).length - idsOf(ctx, b[0]!).length);
  if (pending.length === 0) return;
  if (ctx.signal.aborted) throw abortReason(ctx.signal);
  let gaveUp = false;
  const enqueuedAt = Date.now();
  const settled: Promise<void>[] = [];
  const items: WorkItem[] = pending.map((indexes) => {
    let resolve!: (v: Float32Array) => void;
    let reject!: (e: Error) => void;
    const settleAll = (v: Float32Array): void => indexes.forEach((index, n) => ctx.settle(index, n === 0 ? v : v.slice(), 'computed'));
    settled.push(new Promise<Float32Array>((res, rej) => ((resolve = res), (reject = rej))).then(settleAll));
    return {
      ids: idsOf(ctx, indexes[0]!),
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

/** The indexes grouped by identical token ids, in order of first appearance. */
function sameIds(ctx: EmbedContext, indexes: readonly number[]): number[][] {
  if (indexes.length < 2) return indexes.map((i) => [i]);
  const groups = new Map<string, number[]>();
  for (const index of indexes) {
    const ids = idsOf(ctx, index);
    // The ids' bytes as a string: an exact key, and cheap next to inference.
    const key = Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength).toString('latin1');
    groups.get(key)?.push(index) ?? groups.set(key, [index]);
  }
  return [...groups.values()];
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
