import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { InterfaceVpcEndpointAwsService, SubnetType, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { consumerEnvironment, grantConsumer, type ConsumerContract } from './consumer-contract.js';
import { acceptNagFinding } from './nag.js';
import { REPO_ROOT, repoImage } from './repo-image.js';

/** Compiled handler inside the image, relative to LAMBDA_TASK_ROOT (see Dockerfile.lambda). */
export const LAMBDA_HANDLER = 'dist/functions/sqs-embed/handler.handler';

export interface EmbedFunctionProps extends ConsumerContract {
  readonly timeout: Duration;
  readonly memoryMb: number;
  /** Upper bound on concurrent invocations the SQS poller starts (protects downstreams and cost). */
  readonly maxConcurrency: number;
  /**
   * Runs the function in this VPC's isolated subnets (context `sharedCache`: to reach the shared
   * cache). It reaches S3 through the VPC's gateway endpoint and the results queue through an
   * interface endpoint; SQS polling is the service's, outside the function.
   */
  readonly vpc?: IVpc | undefined;
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
      ...(props.vpc ? { vpc: props.vpc, vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED } } : {}),
    });
    if (props.vpc) {
      acceptNagFinding(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', 'CDK attaches AWS\'s managed VPC-access policy to a function in a VPC: its ENI actions (create, describe, delete network interfaces) support no resource-level scoping, so our own policy would be the same "*" statement.');
      if (props.queues.results) {
        props.vpc.addInterfaceEndpoint('SqsEndpoint', { service: InterfaceVpcEndpointAwsService.SQS, subnets: { subnetType: SubnetType.PRIVATE_ISOLATED }, open: false }).connections.allowDefaultPortFrom(this.fn);
      }
    }
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
