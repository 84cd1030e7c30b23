import type { Message, ReceiveMessageCommandInput } from '@aws-sdk/client-sqs';

/** One delivery of a queued message, as both the worker and the Lambda handler see it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly priorityAttribute?: string | undefined;
  /** ApproximateReceiveCount: 1 on the first delivery. */
  readonly receiveCount: number;
  /** SentTimestamp in epoch ms: the start of end-to-end latency. */
  readonly sentAt: number;
}

/** A message this worker received and holds until it deletes or releases it. */
export interface ReceivedMessage extends QueuedMessage {
  readonly receiptHandle: string;
}

/** What ReceiveMessage must ask for so {@link fromSdkMessage} has everything. */
export function receiveAttributes(): Pick<ReceiveMessageCommandInput, 'MessageSystemAttributeNames' | 'MessageAttributeNames'> {
  return { MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'], MessageAttributeNames: ['priority'] };
}

export function fromSdkMessage(message: Message): ReceivedMessage {
  return {
    messageId: message.MessageId ?? '(none)',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    priorityAttribute: message.MessageAttributes?.priority?.StringValue,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    sentAt: Number(message.Attributes?.SentTimestamp ?? Date.now()),
  };
}
