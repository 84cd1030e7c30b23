import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startElasticMq, type ElasticMq, type ElasticMqOptions } from './elasticmq.js';

const DEFAULT_QUEUES = ['embedline-requests', 'embedline-results'];
let server: Promise<ElasticMq> | undefined;

/**
 * ElasticMQ for one test file, on the one server the whole test process shares: the JVM takes
 * about five seconds to start, once per run instead of once per file. The file's queues (each
 * with its `<name>-dlq`, `maxReceiveCount` and visibility timeout as in {@link startElasticMq})
 * are created on it, and `stop()` deletes them again, so files never see each other's messages.
 * A queue name another file still holds is an error. The server is killed when the process exits.
 *
 * @example
 * before(async () => (mq = await sharedElasticMq({ queues: ['requests'], maxReceiveCount: 2 })));
 * after(async () => mq?.stop());
 */
export async function sharedElasticMq(opts: Omit<ElasticMqOptions, 'port' | 'detached'> = {}): Promise<ElasticMq> {
  server ??= startElasticMq({ queues: [], detached: true }).catch((error: unknown) => {
    server = undefined; // let the next file try again
    throw error;
  });
  const { endpoint, port } = await server;
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const queues = opts.queues ?? DEFAULT_QUEUES;
  const urls: string[] = [];
  try {
    for (const name of queues) urls.push(...(await createWithDlq(sqs, name, opts.maxReceiveCount ?? 3, opts.visibilityTimeoutSec ?? 30)));
  } catch (error) {
    await deleteAll(sqs, urls);
    sqs.destroy();
    throw error;
  }
  return {
    endpoint,
    port,
    stop: async () => {
      await deleteAll(sqs, urls);
      sqs.destroy();
    },
  };
}

async function createWithDlq(sqs: SQSClient, name: string, maxReceiveCount: number, visibilitySec: number): Promise<string[]> {
  const taken = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(() => true, () => false);
  if (taken) throw new Error(`Queue "${name}" already exists on the shared ElasticMQ: another test file holds it; give this file's queues their own names.`);
  const VisibilityTimeout = String(visibilitySec);
  const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { VisibilityTimeout } }));
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes.QueueArn, maxReceiveCount });
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout, RedrivePolicy } }));
  return [url!, dlqUrl!];
}

async function deleteAll(sqs: SQSClient, urls: readonly string[]): Promise<void> {
  await Promise.all(urls.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
}
