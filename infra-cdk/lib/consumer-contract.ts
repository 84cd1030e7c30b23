import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Queues } from './queues.js';
import { acceptNagFinding, nagArnOf } from './nag.js';
import { ResultsBucket } from './results-bucket.js';

/** What every consumer of the requests queue (Lambda or ECS worker) is given. */
export interface ConsumerContract {
  readonly queues: Queues;
  readonly results: ResultsBucket;
}

/**
 * Environment read by Embedline's loadConfig. One function, so the Lambda and the
 * workers cannot drift apart.
 */
export function consumerEnvironment({ queues, results }: ConsumerContract): Record<string, string> {
  const env: Record<string, string> = {
    EMBEDLINE_SINK: 's3',
    EMBEDLINE_S3_BUCKET: results.bucket.bucketName,
    EMBEDLINE_S3_PREFIX: ResultsBucket.prefix,
    EMBEDLINE_QUEUE_URL: queues.requests.queueUrl,
  };
  if (queues.results) env['EMBEDLINE_RESULTS_QUEUE_URL'] = queues.results.queueUrl;
  return env;
}

/**
 * Least privilege: receive/delete/extend on the requests queue, create objects under the
 * results prefix, send to the results queue. No reads of results, no deletes, no wildcards.
 */
export function grantConsumer(grantee: IGrantable, { queues, results }: ConsumerContract): void {
  queues.requests.grantConsumeMessages(grantee);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:PutObject'], resources: [results.objectsArn()] }),
  );
  const objects = `AwsSolutions-IAM5[Resource::${nagArnOf(results.bucket.node.defaultChild as CfnBucket)}/${ResultsBucket.prefix}*]`;
  if (Construct.isConstruct(grantee.grantPrincipal)) acceptNagFinding(grantee.grantPrincipal, objects, 'Result object keys are per message (results/<id>.<format>), unknown in advance; the wildcard is PutObject only, below the results/ prefix of the one bucket.');
  if (queues.results) sendOnly(grantee, queues.results);
}

// grantSendMessages would also add GetQueueAttributes/GetQueueUrl, which a sender given the URL never needs.
function sendOnly(grantee: IGrantable, queue: Queue): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
}
