import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { consumerEnvironment, grantConsumer, type ConsumerContract } from './consumer-contract.js';
import { REPO_ROOT, repoImage } from './repo-image.js';

/** Compiled handler inside the image, relative to LAMBDA_TASK_ROOT (see Dockerfile.lambda). */
export const LAMBDA_HANDLER = 'dist/functions/sqs-embed/handler.handler';

export interface EmbedFunctionProps extends ConsumerContract {
  readonly timeout: Duration;
  readonly memoryMb: number;
  /** Upper bound on concurrent invocations the SQS poller starts (protects downstreams and cost). */
  readonly maxConcurrency: number;
}

/** The SQS-triggered Lambda, from a container image with the model baked in. */
export class EmbedFunction extends Construct {
  readonly fn: DockerImageFunction;

  constructor(scope: Construct, id: string, props: EmbedFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole, whose logs actions apply to every log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.fn = new DockerImageFunction(this, 'Function', {
      code: DockerImageCode.fromImageAsset(REPO_ROOT, { ...repoImage('Dockerfile.lambda'), cmd: [LAMBDA_HANDLER] }),
      architecture: Architecture.X86_64,
      memorySize: props.memoryMb,
      timeout: props.timeout,
      role,
      logGroup,
      environment: consumerEnvironment(props),
    });
    grantConsumer(this.fn, props);
    this.fn.addEventSource(
      new SqsEventSource(props.queues.requests, {
        batchSize: 32,
        maxBatchingWindow: Duration.seconds(2),
        // One bad message must not send its 31 neighbours back to the queue (and towards the DLQ).
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
