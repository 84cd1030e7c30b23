import type { ServiceIdentifier } from 'inversify';
import type { Priority, WorkItem } from '../pipeline/types.js';

/**
 * Holds queued texts and forms inference batches from them (size, token budget, wait),
 * handing each batch to the device scheduler. Callers await their items' own promises.
 *
 * @example
 * batcher.submit(items);             // items resolve one by one as their batches finish
 * batcher.expectedWaitMs('normal');  // what a text of that priority would wait now
 * await batcher.drain();             // on shutdown: wait for everything accepted
 */
export interface Batcher {
  /**
   * Throws EMBEDLINE_OVERLOADED (and accepts none) when the items would overflow the queue or
   * would wait longer than their priority's maximum queue delay; its `retryAfterSeconds` comes
   * from the same estimate.
   */
  submit(items: readonly WorkItem[]): void;
  /**
   * The same refusal before the texts are tokenized, from what is queued already (their own
   * tokens are not known yet): an overloaded service answers 429 without spending the
   * tokenizer's thread pool, which the overload itself keeps busy. `submit` checks again.
   */
  admit?(priority: Priority, texts: number, remainingMs: number): void;
  readonly queuedTexts: number;
  readonly inFlightBatches: number;
  /** Queued work ahead of a new text of this priority ÷ measured throughput; 0 before any measurement. */
  expectedWaitMs?(priority: Priority): number;
  drain(): Promise<void>;
}

export const BATCHER: ServiceIdentifier<Batcher> = Symbol.for('embedline.Batcher');
