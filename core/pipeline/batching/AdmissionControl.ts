import { EmbedlineError } from '../../errors.js';
import type { Priority } from '../types.js';
import type { ThroughputEstimator } from './ThroughputEstimator.js';

/** Configured limits per priority; an unset one falls back to the request's own remaining time. */
export type QueueDelayLimits = Readonly<Record<Priority, number | undefined>>;

/**
 * Admits by expected wait: the tokens queued ahead of a new text (its priority and above, plus
 * those running) ÷ measured throughput. Work that would wait longer than its priority's
 * `maxQueueDelayMs` is refused at once with EMBEDLINE_OVERLOADED and a `retryAfterSeconds` of
 * when, at the measured rate, the queue will have shrunk enough for it. A priority without a
 * configured limit is limited by the request's own remaining time: work that would not finish
 * before its deadline (the work ahead plus its own texts) is refused up front, and a caller that
 * allows more time (an SQS worker holding its messages invisible) is not refused at the HTTP
 * default. Before the first batch is measured there is no estimate and only the text-count cap
 * applies.
 *
 * @example
 * admission.check('normal', queue.tokensAhead('normal') + inFlightTokens, item.deadline - Date.now());
 */
export class AdmissionControl {
  constructor(
    private readonly throughput: ThroughputEstimator,
    private readonly maxQueueDelayMs: QueueDelayLimits,
  ) {}

  /** Milliseconds `tokensAhead` tokens take to clear at the measured rate; 0 with no measurement yet. */
  expectedWaitMs(tokensAhead: number): number {
    const rate = this.throughput.tokensPerSecond();
    return rate ? (tokensAhead * 1000) / rate : 0;
  }

  /**
   * A configured limit is on time spent queued, so the request's own tokens do not count. The
   * remaining timeout is on time to the answer, so there they do: a request admitted with just
   * its queue wait under the deadline would otherwise time out in its own batch (a 504 after
   * holding a queue place all along; under sustained overload the queue sits right at that limit).
   */
  check(priority: Priority, tokensAhead: number, remainingMs = Number.POSITIVE_INFINITY, ownTokens = 0): void {
    const configured = this.maxQueueDelayMs[priority];
    const waitMs = this.expectedWaitMs(configured === undefined ? tokensAhead + ownTokens : tokensAhead);
    const limitMs = Math.max(0, Math.round(configured ?? remainingMs));
    if (waitMs <= limitMs) return;
    const limitSource = configured === undefined ? "the request's remaining timeout" : `batching.maxQueueDelayMs.${priority}`;
    const retryAfterSeconds = Math.max(1, Math.ceil((waitMs - limitMs) / 1000));
    throw new EmbedlineError(
      'EMBEDLINE_OVERLOADED',
      `A ${priority} request would ${configured === undefined ? 'take' : 'wait'} about ${Math.round(waitMs)} ms ${configured === undefined ? 'to finish' : 'in the queue'}, over its limit of ${limitMs} ms (${limitSource}); retry after ${retryAfterSeconds} s.`,
      { priority, expectedWaitMs: Math.round(waitMs), maxQueueDelayMs: limitMs, retryAfterSeconds },
    );
  }
}
