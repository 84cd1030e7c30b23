import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acceptNagFinding } from './nag.js';

export interface QueuesProps {
  /** Receives before a message is parked in the DLQ. */
  readonly maxReceiveCount: number;
  /** Longest time one consumer may hold a message (the Lambda timeout). */
  readonly consumerTimeout: Duration;
  /** Also create a queue that consumers publish result notifications to. */
  readonly resultsQueue: boolean;
}

/** Requests queue with its dead-letter queue, and the optional results queue. */
export class Queues extends Construct {
  readonly requests: Queue;
  readonly deadLetters: Queue;
  readonly results: Queue | undefined;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    // SSE-SQS rather than a customer KMS key: free, and consumers need no kms:Decrypt grant.
    const common = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
    this.deadLetters = new Queue(this, 'RequestsDlq', {
      ...common,
      // Longest SQS allows, so there is time to inspect and redrive poison messages.
      retentionPeriod: Duration.days(14),
    });
    this.requests = new Queue(this, 'Requests', {
      ...common,
      // AWS guidance for Lambda event sources: at least 6x the function timeout, so retries
      // of a throttled or slow batch do not make the message visible to a second consumer.
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount },
    });
    this.results = props.resultsQueue
      ? new Queue(this, 'Results', { ...common, retentionPeriod: Duration.days(4) })
      : undefined;
    if (this.results) acceptNagFinding(this.results, 'AwsSolutions-SQS3', 'The results queue carries notifications to the caller\'s own consumer; whether a notification it cannot handle is parked, and where, is that consumer\'s choice. The result itself is already in S3.');
  }
}
