import type { Message, ReceiveMessageCommandInput } from '@aws-sdk/client-sqs';
import type { TraceCarrier } from '../otel/callerTrace.js';

/** Message attributes that carry a producer's W3C trace context; the worker continues that trace. */
export const TRACE_ATTRIBUTES = ['traceparent', 'tracestate'] as const;

/** One delivery of a queued message, as both the worker and the Lambda handler see it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly priorityAttribute?: string | undefined;
  /** ApproximateReceiveCount: 1 on the first delivery. */
  readonly receiveCount: number;
  /** SentTimestamp in epoch ms: the start of end-to-end latency. */
  readonly sentAt: number;
  /** The producer's trace context, from the `traceparent`/`tracestate` message attributes. */
  readonly trace: TraceCarrier;
}

/** A message this worker received and holds until it deletes or releases it. */
export interface ReceivedMessage extends QueuedMessage {
  readonly receiptHandle: string;
}

/** What ReceiveMessage must ask for so {@link fromSdkMessage} has everything. */
export function receiveAttributes(): Pick<ReceiveMessageCommandInput, 'MessageSystemAttributeNames' | 'MessageAttributeNames'> {
  return { MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'], MessageAttributeNames: ['priority', ...TRACE_ATTRIBUTES] };
}

export function fromSdkMessage(message: Message): ReceivedMessage {
  return {
    messageId: message.MessageId ?? '(none)',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    priorityAttribute: message.MessageAttributes?.priority?.StringValue,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    sentAt: Number(message.Attributes?.SentTimestamp ?? Date.now()),
    trace: traceCarrier(message.MessageAttributes ?? {}, (a) => a.StringValue),
  };
}

/** The trace attributes of a message, from the SDK's or Lambda's attribute shape. */
export function traceCarrier<A>(attributes: Readonly<Record<string, A>>, stringValue: (attribute: A) => string | undefined): TraceCarrier {
  const carrier: Record<string, string> = {};
  for (const name of TRACE_ATTRIBUTES) {
    const attribute = attributes[name];
    const value = attribute === undefined ? undefined : stringValue(attribute);
    if (value) carrier[name] = value;
  }
  return carrier;
}
