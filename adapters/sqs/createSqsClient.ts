import { SQSClient } from '@aws-sdk/client-sqs';
import type { EmbedlineConfig } from '../../core/config/schema.js';

/**
 * An SQS client from config: `sqs.endpoint` points it at a local server such as ElasticMQ,
 * `sqs.region` overrides the SDK's region chain. Credentials always come from the SDK's chain
 * (task or function role in AWS; any non-empty AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY locally).
 */
export function createSqsClient(sqs: EmbedlineConfig['sqs']): SQSClient {
  return new SQSClient({
    ...(sqs.endpoint ? { endpoint: sqs.endpoint } : {}),
    ...(sqs.region ? { region: sqs.region } : {}),
  });
}
