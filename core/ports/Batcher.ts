import type { ServiceIdentifier } from 'inversify';
import type { WorkItem } from '../pipeline/types.js';

/**
 * Holds queued texts and forms inference batches from them (size, token budget, wait),
 * handing each batch to the device scheduler. Callers await their items' own promises.
 *
 * @example
 * batcher.submit(items);             // items resolve one by one as their batches finish
 * await batcher.drain();             // on shutdown: wait for everything accepted
 */
export interface Batcher {
  /** Throws EMBEDLINE_OVERLOADED (and accepts none) when the items would overflow the queue. */
  submit(items: readonly WorkItem[]): void;
  readonly queuedTexts: number;
  readonly inFlightBatches: number;
  drain(): Promise<void>;
}

export const BATCHER: ServiceIdentifier<Batcher> = Symbol.for('embedline.Batcher');
