import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EmbedlineError } from '../../../core/errors.js';
import type { JsonLog } from '../jsonLog.js';
import { isTransientAwsError, withRetry, type RetryPolicy } from '../retry.js';

/**
 * Reads the queue's attributes before the worker starts: fails fast, with the reason, when the
 * queue is missing or unreachable (a wrong URL should stop a task, not fill its log), logs the
 * redrive policy, and warns when there is none (then nothing ever reaches a DLQ).
 *
 * @example
 * await inspectQueue(sqs, queueUrl, 60, { attempts: 4, baseMs: 200 }, log);
 */
export async function inspectQueue(sqs: Pick<SQSClient, 'send'>, queueUrl: string, workerVisibilitySec: number, retry: RetryPolicy, log: JsonLog): Promise<void> {
  let attributes: Record<string, string>;
  try {
    ({ Attributes: attributes = {} } = await withRetry(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] })), retry, { isRetryable: isTransientAwsError }));
  } catch (error) {
    throw new EmbedlineError('EMBEDLINE_QUEUE', `Cannot read queue ${queueUrl}: ${(error as Error).message}. Check the URL, the endpoint (EMBEDLINE_SQS_ENDPOINT) and the credentials.`, { queueUrl }, { cause: error });
  }
  const redrive = attributes.RedrivePolicy ? (JSON.parse(attributes.RedrivePolicy) as { maxReceiveCount?: number; deadLetterTargetArn?: string }) : undefined;
  if (!redrive) log.warn('sqs.no_dead_letter_queue', { queueUrl, note: 'messages that can never succeed stay in the queue until its retention ends; add a redrive policy' });
  log.info('sqs.queue', { queueUrl, maxReceiveCount: redrive?.maxReceiveCount, deadLetterQueue: redrive?.deadLetterTargetArn, queueVisibilityTimeoutSec: Number(attributes.VisibilityTimeout), workerVisibilityTimeoutSec: workerVisibilitySec });
}
