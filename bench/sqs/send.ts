import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingMessage } from '../../adapters/sqs/enqueue/buildMessages.js';

/** Sends as fast as SQS takes them: 10 per SendMessageBatch, `lanes` calls in flight. Returns send times. */
export async function sendFlood(sqs: SQSClient, queueUrl: string, messages: readonly OutgoingMessage[], lanes = 4): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < messages.length) {
      const batch = messages.slice(next, next + 10);
      next += batch.length;
      const at = Date.now();
      const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: m.body })) }));
      if (Failed.length > 0) throw new Error(`SQS refused ${Failed.length} messages: ${Failed[0]!.Code}`);
      for (const m of batch) sent.set(m.id, at);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return sent;
}

/** Open-loop arrivals at `perSecond`, one SendMessage each, whatever the consumers do. Returns send times. */
export async function sendPaced(sqs: SQSClient, queueUrl: string, messages: readonly OutgoingMessage[], perSecond: number): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  const start = Date.now();
  const calls: Promise<unknown>[] = [];
  for (const [i, m] of messages.entries()) {
    const due = start + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    sent.set(m.id, Date.now());
    calls.push(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: m.body })));
  }
  await Promise.all(calls);
  return sent;
}
