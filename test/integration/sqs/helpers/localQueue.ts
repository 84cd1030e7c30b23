import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type Message, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { ElasticMq } from '../../../support/elasticmq.js';

/** Credentials ElasticMQ ignores but the SDK insists on. */
export const LOCAL_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export function localSqs(mq: ElasticMq): SQSClient {
  return new SQSClient({ endpoint: mq.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

export async function queueUrl(sqs: SQSClient, name: string): Promise<string> {
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
}

/** Messages waiting and messages received but not yet deleted (ElasticMQ's counts are exact). */
export async function queueDepth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

/** Sends entries ten per call, failing the test on any rejected entry. */
export async function sendAll(sqs: SQSClient, url: string, entries: readonly SendMessageBatchRequestEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 10) {
    const batch = entries.slice(i, i + 10).map((e, j) => ({ ...e, Id: String(j) }));
    const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: batch }));
    if (Failed.length > 0) throw new Error(`send failed: ${JSON.stringify(Failed)}`);
  }
}

/** Receives until `count` messages arrived or the queue stays empty for a whole long poll. */
export async function receiveUpTo(sqs: SQSClient, url: string, count: number, visibilityTimeoutSec = 30): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: Math.min(10, count - messages.length), WaitTimeSeconds: 1, VisibilityTimeout: visibilityTimeoutSec, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages);
  }
  return messages;
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
