import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbedlineError } from '../../../core/errors.js';
import { backoffDelayMs, isTransientAwsError, withRetry, type RetryPolicy } from '../retry.js';
import type { OutgoingMessage } from './buildMessages.js';

export interface SendOptions {
  /** SendMessageBatch's limit on the sum of its bodies (SQS: 256 KiB). */
  readonly maxBatchBytes: number;
  readonly retry: RetryPolicy;
  /** SendMessageBatch calls in flight. */
  readonly concurrency: number;
  readonly onSent?: (messages: number) => void;
}

/**
 * Sends messages ten per SendMessageBatch call (fewer when ten would pass the batch byte limit),
 * a few calls at a time. Entries SQS rejects as the sender's fault stop the run with the reason;
 * the rest are retried with backoff.
 *
 * @example
 * await sendInBatches(sqs, queueUrl, messages, { maxBatchBytes: 262_144, retry: { attempts: 4, baseMs: 200 }, concurrency: 4 });
 */
export async function sendInBatches(sqs: Pick<SQSClient, 'send'>, queueUrl: string, messages: readonly OutgoingMessage[], options: SendOptions): Promise<void> {
  const batches = toBatches(messages, options.maxBatchBytes);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      await sendBatch(sqs, queueUrl, batch, options.retry);
      options.onSent?.(batch.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
}

function toBatches(messages: readonly OutgoingMessage[], maxBatchBytes: number): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body);
    if (current.length === 10 || (current.length > 0 && bytes + size > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function sendBatch(sqs: Pick<SQSClient, 'send'>, queueUrl: string, batch: readonly OutgoingMessage[], retry: RetryPolicy): Promise<void> {
  let entries: SendMessageBatchRequestEntry[] = batch.map((m, i) => ({ Id: String(i), MessageBody: m.body }));
  for (let attempt = 1; entries.length > 0; attempt++) {
    const { Failed = [] } = await withRetry(() => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })), retry, { isRetryable: isTransientAwsError });
    const rejected = Failed.filter((f) => f.SenderFault);
    if (rejected.length > 0) {
      const detail = rejected.map((f) => `${batch[Number(f.Id)]?.id}: ${f.Code} ${f.Message ?? ''}`.trim()).join('; ');
      throw new EmbedlineError('EMBEDLINE_QUEUE', `SQS rejected ${rejected.length} message(s): ${detail}`);
    }
    if (Failed.length > 0 && attempt >= retry.attempts) throw new EmbedlineError('EMBEDLINE_QUEUE', `SQS kept failing ${Failed.length} message(s) after ${attempt} attempts: ${Failed.map((f) => f.Code).join(', ')}`);
    const retryIds = new Set(Failed.map((f) => f.Id));
    entries = entries.filter((e) => retryIds.has(e.Id));
    if (entries.length > 0) await sleep(backoffDelayMs(attempt, retry.baseMs, retry.baseMs * 32));
  }
}
