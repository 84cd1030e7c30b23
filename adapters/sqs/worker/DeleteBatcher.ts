import { DeleteMessageBatchCommand, type BatchResultErrorEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { JsonLog } from '../jsonLog.js';
import type { ReceivedMessage } from '../QueuedMessage.js';
import { isTransientAwsError, withRetry, type RetryPolicy } from '../retry.js';
import { systemClock, type CancelTimer, type Clock } from './Clock.js';
import { isStale } from './VisibilityHeartbeat.js';
import type { WorkerMetrics } from './WorkerMetrics.js';

/** `deleted`; `stale`: delivered again meanwhile, so that consumer will delete it; `failed`: it will come back. */
export type DeleteOutcome = 'deleted' | 'stale' | 'failed';

interface Pending {
  readonly message: ReceivedMessage;
  readonly settle: (outcome: DeleteOutcome) => void;
  attempts: number;
}

/**
 * Deletes messages ten per DeleteMessageBatch call: a batch goes out when ten are waiting or
 * `flushMs` after the first, so a busy worker makes a tenth of the calls and an idle one waits
 * at most `flushMs`. Entries that fail transiently are retried; a message that cannot be deleted
 * reappears later and its result is rewritten idempotently, so a failed delete loses nothing.
 *
 * @example
 * const outcome = await deletes.delete(message); // after the result is stored
 */
export class DeleteBatcher {
  private pending: Pending[] = [];
  private cancelTimer: CancelTimer | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sqs: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
    private readonly flushMs: number,
    private readonly retry: RetryPolicy,
    private readonly log: JsonLog,
    private readonly metrics: WorkerMetrics,
    private readonly clock: Clock = systemClock,
  ) {}

  delete(message: ReceivedMessage): Promise<DeleteOutcome> {
    return new Promise((settle) => {
      this.enqueue({ message, settle, attempts: 0 });
    });
  }

  /** Sends everything waiting now and resolves when every call has returned. */
  async flush(): Promise<void> {
    // Failed entries are queued again while their batch returns, hence the loop.
    do {
      this.send();
      await Promise.all(this.inFlight);
    } while (this.pending.length > 0);
  }

  private enqueue(entry: Pending): void {
    this.pending.push(entry);
    if (this.pending.length >= 10) this.send();
    else this.cancelTimer ??= this.clock.after(this.flushMs, () => this.send());
  }

  private send(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, 10);
      const call = this.deleteBatch(batch).finally(() => this.inFlight.delete(call));
      this.inFlight.add(call);
    }
  }

  private async deleteBatch(batch: Pending[]): Promise<void> {
    let failed: BatchResultErrorEntry[];
    try {
      ({ Failed: failed = [] } = await withRetry(
        () => this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((p, i) => ({ Id: String(i), ReceiptHandle: p.message.receiptHandle })) })),
        this.retry,
        { isRetryable: isTransientAwsError, onRetry: () => this.metrics.sqsErrors.inc({ operation: 'delete' }) },
      ));
    } catch (error) {
      this.metrics.sqsErrors.inc({ operation: 'delete' });
      this.log.error('sqs.delete_error', { messages: batch.map((p) => p.message.messageId), error });
      for (const p of batch) p.settle('failed');
      return;
    }
    const failedById = new Map(failed.map((f) => [f.Id, f]));
    batch.forEach((p, i) => {
      const failure = failedById.get(String(i));
      if (!failure) return p.settle('deleted');
      if (isStale(failure.Code)) {
        this.metrics.lostOwnership.inc();
        this.log.info('sqs.delete_stale', { messageId: p.message.messageId, code: failure.Code });
        return p.settle('stale');
      }
      p.attempts++;
      if (!failure.SenderFault && p.attempts < this.retry.attempts) return this.enqueue(p);
      this.log.error('sqs.delete_failed', { messageId: p.message.messageId, code: failure.Code, detail: failure.Message });
      p.settle('failed');
    });
  }
}
