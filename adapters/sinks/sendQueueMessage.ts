import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The one SQS call the queue-writing sinks make. */
export type SqsSender = Pick<SQSClient, 'send'>;

/**
 * Sends one result message. On a FIFO queue (`.fifo`) the result id is the group and, hashed,
 * the deduplication id, so a redelivered request within SQS's 5-minute window adds no duplicate;
 * on a standard queue delivery is at least once and readers dedupe by `id`.
 */
export async function sendQueueMessage(sqs: SqsSender, queueUrl: string, body: string, resultId: string): Promise<void> {
  const fifo = queueUrl.endsWith('.fifo');
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      ...(fifo ? { MessageGroupId: resultId, MessageDeduplicationId: createHash('sha256').update(resultId).digest('hex') } : {}),
    }),
  );
}
