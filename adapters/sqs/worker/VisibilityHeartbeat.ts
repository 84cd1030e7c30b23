import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JsonLog } from '../jsonLog.js';
import type { ReceivedMessage } from '../QueuedMessage.js';
import { systemClock, type CancelTimer, type Clock } from './Clock.js';
import type { InFlightView, WorkerMetrics } from './WorkerMetrics.js';

interface Held {
  readonly message: ReceivedMessage;
  extendedAt: number;
}

/**
 * Keeps held messages invisible: every `intervalMs` it resets the visibility of each message held
 * that long to `visibilitySec`, ten per ChangeMessageVisibilityBatch call. A slow batch therefore
 * never lets a message reappear for a second consumer, while a killed worker's messages come back
 * within one visibility timeout. It also answers the in-flight metrics.
 *
 * @example
 * heartbeat.start();
 * heartbeat.hold(message);   // on receive
 * heartbeat.release(message); // before deleting it or making it visible again
 */
export class VisibilityHeartbeat implements InFlightView {
  private readonly held = new Map<string, Held>();
  private cancelTimer: CancelTimer | undefined;
  private ticking = false;
  private metrics: WorkerMetrics | undefined;

  constructor(
    private readonly sqs: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
    private readonly visibilitySec: number,
    private readonly intervalMs: number,
    private readonly log: JsonLog,
    private readonly clock: Clock = systemClock,
  ) {}

  get size(): number {
    return this.held.size;
  }

  oldestSentAt(): number | undefined {
    let oldest: number | undefined;
    for (const { message } of this.held.values()) oldest = oldest === undefined ? message.sentAt : Math.min(oldest, message.sentAt);
    return oldest;
  }

  /** The messages held now. */
  *messages(): Iterable<ReceivedMessage> {
    for (const { message } of this.held.values()) yield message;
  }

  /** Metrics come later than the heartbeat (they read it), so they are attached afterwards. */
  attach(metrics: WorkerMetrics): void {
    this.metrics = metrics;
  }

  start(): void {
    // Check several times per interval so no message waits much longer than intervalMs.
    this.cancelTimer ??= this.clock.every(Math.max(100, Math.min(1000, Math.floor(this.intervalMs / 4))), () => void this.tick());
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  hold(message: ReceivedMessage): void {
    this.held.set(message.receiptHandle, { message, extendedAt: this.clock.now() });
  }

  release(message: ReceivedMessage): void {
    this.held.delete(message.receiptHandle);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.clock.now();
      const due = [...this.held.values()].filter((h) => now - h.extendedAt >= this.intervalMs);
      for (let i = 0; i < due.length; i += 10) await this.extend(due.slice(i, i + 10));
    } finally {
      this.ticking = false;
    }
  }

  private async extend(batch: Held[]): Promise<void> {
    const startedAt = this.clock.now();
    try {
      const { Failed = [] } = await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((h, i) => ({ Id: String(i), ReceiptHandle: h.message.receiptHandle, VisibilityTimeout: this.visibilitySec })),
        }),
      );
      const failedIds = new Set(Failed.map((f) => f.Id));
      batch.forEach((h, i) => {
        if (!failedIds.has(String(i))) h.extendedAt = startedAt;
      });
      for (const failure of Failed) {
        const held = batch[Number(failure.Id)];
        if (held && isStale(failure.Code)) {
          // Delivered again elsewhere: that consumer owns it now, and our result write stays idempotent.
          this.held.delete(held.message.receiptHandle);
          this.metrics?.lostOwnership.inc();
        }
        this.log.warn('sqs.heartbeat_failed', { messageId: held?.message.messageId, code: failure.Code, detail: failure.Message });
      }
    } catch (error) {
      // The next tick retries; the visibility left (at least two thirds of it) covers a few misses.
      this.metrics?.sqsErrors.inc({ operation: 'change_visibility' });
      this.log.warn('sqs.heartbeat_error', { messages: batch.length, error });
    }
  }
}

/** Entry codes meaning this receipt handle no longer owns the message. */
export function isStale(code: string | undefined): boolean {
  return code === 'ReceiptHandleIsInvalid' || code === 'MessageNotInflight' || code === 'InvalidParameterValue';
}
