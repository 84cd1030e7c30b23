import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acceptNagFinding } from './nag.js';

export interface ResultsBucketProps {
  /** Days before result objects expire. */
  readonly retentionDays: number;
}

/** Private, encrypted bucket that the S3 sink writes embeddings to, under {@link ResultsBucket.prefix}. */
export class ResultsBucket extends Construct {
  /** Consumers may write only below this prefix (least privilege). */
  static readonly prefix = 'results/';
  /**
   * The cache plugin's snapshot (context `cache`), outside the results prefix: the consumers may
   * read and replace this one object. The expiry rule applies to it too, harmlessly: it is
   * rewritten every few minutes while anything runs, and its entries outlive their 1 h TTL anyway.
   */
  static readonly cacheSnapshotKey = 'cache/embedline.snapshot';
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ResultsBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Results are data someone asked for: keep them when the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-results', expiration: Duration.days(props.retentionDays) },
        // Failed multipart uploads are invisible but still billed.
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    acceptNagFinding(this.bucket, 'AwsSolutions-S1', 'No server access logs: they would need a second bucket (itself unlogged); only the consumer roles can write, under results/ only, and the account\'s CloudTrail data events are the audit trail for object access.');
  }

  /** ARN pattern of the objects consumers may create. */
  objectsArn(): string {
    return this.bucket.arnForObjects(`${ResultsBucket.prefix}*`);
  }
}
