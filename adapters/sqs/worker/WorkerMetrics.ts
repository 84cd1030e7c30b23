import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FAILURE_REASONS, type FailureReason } from '../message/failureReasons.js';

/** SQS calls the worker makes, as a label. */
export type SqsOperation = 'receive' | 'delete' | 'change_visibility' | 'get_queue_attributes';

/** What the in-flight gauges read at scrape time. */
export interface InFlightView {
  readonly size: number;
  /** SentTimestamp (epoch ms) of the oldest message held, or undefined when none is. */
  oldestSentAt(): number | undefined;
}

const E2E_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];

/**
 * The worker's own metrics on a Registry it owns (served next to the pipeline's on /metrics).
 *
 * @example
 * const metrics = new WorkerMetrics(heartbeat);
 * metrics.failed.inc({ reason: 'malformed_json' });
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({ name: 'embedline_sqs_messages_received_total', help: 'Messages received from the requests queue (redeliveries count again).', registers: [this.registry] });
  readonly succeeded = new Counter({ name: 'embedline_sqs_messages_succeeded_total', help: 'Messages whose result was stored and that were deleted from the queue.', registers: [this.registry] });
  readonly failed = new Counter<'reason'>({ name: 'embedline_sqs_messages_failed_total', help: 'Deliveries that failed, by reason; the message stays in the queue (and ends in the DLQ after maxReceiveCount).', labelNames: ['reason'], registers: [this.registry] });
  readonly endToEnd = new Histogram({ name: 'embedline_sqs_end_to_end_seconds', help: 'From SentTimestamp to the result stored and the message deleted.', buckets: E2E_BUCKETS, registers: [this.registry] });
  readonly sqsErrors = new Counter<'operation'>({ name: 'embedline_sqs_api_errors_total', help: 'Failed SQS calls (each attempt), by operation.', labelNames: ['operation'], registers: [this.registry] });
  readonly lostOwnership = new Counter({ name: 'embedline_sqs_stale_receipts_total', help: 'Deletes or extensions refused because the message had been delivered again (its result is rewritten idempotently).', registers: [this.registry] });

  constructor(inFlight: InFlightView) {
    // Every reason exported at 0 from the start, so rate() and alerts see a series before the first failure.
    for (const reason of FAILURE_REASONS) this.failed.inc({ reason }, 0);
    new Gauge({
      name: 'embedline_sqs_messages_in_flight',
      help: 'Messages received and not yet deleted or released.',
      registers: [this.registry],
      collect() {
        this.set(inFlight.size);
      },
    });
    new Gauge({
      name: 'embedline_sqs_oldest_message_age_seconds',
      help: 'Age (now minus SentTimestamp) of the oldest message this worker holds; 0 when it holds none.',
      registers: [this.registry],
      collect() {
        const sentAt = inFlight.oldestSentAt();
        this.set(sentAt === undefined ? 0 : Math.max(0, (Date.now() - sentAt) / 1000));
      },
    });
  }

  fail(reason: FailureReason): void {
    this.failed.inc({ reason });
  }
}
