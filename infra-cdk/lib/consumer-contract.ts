import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Queues } from './queues.js';
import { acceptNagFinding, nagArnOf } from './nag.js';
import { ResultsBucket } from './results-bucket.js';

/** The cache plugin's settings for the consumers (context `cache` / `sharedCache`). */
export interface ConsumerCache {
  /** `rediss://host:port` of the shared Valkey tier; absent: each consumer caches on its own. */
  readonly redisUrl?: string | undefined;
}

/** What every consumer of the requests queue (Lambda or ECS worker) is given. */
export interface ConsumerContract {
  readonly queues: Queues;
  readonly results: ResultsBucket;
  /** Present when the cache plugin is on: snapshots in the results bucket, optionally a shared tier. */
  readonly cache?: ConsumerCache | undefined;
}

/**
 * Environment read by Embedline's loadConfig. One function, so the Lambda and the
 * workers cannot drift apart.
 */
export function consumerEnvironment({ queues, results, cache }: ConsumerContract): Record<string, string> {
  const env: Record<string, string> = {
    EMBEDLINE_SINK: 's3',
    EMBEDLINE_S3_BUCKET: results.bucket.bucketName,
    EMBEDLINE_S3_PREFIX: ResultsBucket.prefix,
    EMBEDLINE_QUEUE_URL: queues.requests.queueUrl,
  };
  if (queues.results) env['EMBEDLINE_RESULTS_QUEUE_URL'] = queues.results.queueUrl;
  if (cache) {
    env['EMBEDLINE_PLUGINS'] = 'cache';
    // Loaded by a new task or Lambda environment before its first message, written every 5 min and on SIGTERM.
    env['EMBEDLINE_CACHE_SNAPSHOT_URL'] = `s3://${results.bucket.bucketName}/${ResultsBucket.cacheSnapshotKey}`;
    if (cache.redisUrl) env['EMBEDLINE_CACHE_REDIS_URL'] = cache.redisUrl;
  }
  return env;
}

/**
 * Least privilege: receive/delete/extend on the requests queue, create objects under the
 * results prefix, send to the results queue; with the cache, read and replace its one snapshot
 * object. No reads of results, no deletes, no wildcards but the per-message result keys.
 */
export function grantConsumer(grantee: IGrantable, { queues, results, cache }: ConsumerContract): void {
  queues.requests.grantConsumeMessages(grantee);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:PutObject'], resources: [results.objectsArn()] }),
  );
  const objects = `AwsSolutions-IAM5[Resource::${nagArnOf(results.bucket.node.defaultChild as CfnBucket)}/${ResultsBucket.prefix}*]`;
  if (Construct.isConstruct(grantee.grantPrincipal)) acceptNagFinding(grantee.grantPrincipal, objects, 'Result object keys are per message (results/<id>.<format>), unknown in advance; the wildcard is PutObject only, below the results/ prefix of the one bucket.');
  if (queues.results) sendOnly(grantee, queues.results);
  if (cache) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [results.bucket.arnForObjects(ResultsBucket.cacheSnapshotKey)] }),
    );
  }
}

// grantSendMessages would also add GetQueueAttributes/GetQueueUrl, which a sender given the URL never needs.
function sendOnly(grantee: IGrantable, queue: Queue): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
}
