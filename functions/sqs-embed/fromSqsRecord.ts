import type { SQSRecord } from 'aws-lambda';
import { traceCarrier, type QueuedMessage } from '../../adapters/sqs/QueuedMessage.js';

/** A Lambda SQS record as the shared message flow sees it. */
export function fromSqsRecord(record: SQSRecord): QueuedMessage {
  return {
    messageId: record.messageId,
    body: record.body,
    priorityAttribute: record.messageAttributes?.priority?.stringValue,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
    sentAt: Number(record.attributes?.SentTimestamp ?? Date.now()),
    trace: traceCarrier(record.messageAttributes ?? {}, (a) => a.stringValue),
  };
}
