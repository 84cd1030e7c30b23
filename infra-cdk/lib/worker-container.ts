import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ContainerImage, LogDrivers, type ContainerDefinition, type TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { consumerEnvironment, grantConsumer, type ConsumerContract } from './consumer-contract.js';
import { acceptNagFinding } from './nag.js';
import { REPO_ROOT, repoImage } from './repo-image.js';

/**
 * Matches the worker's graceful shutdown: on SIGTERM it stops receiving, finishes the
 * batch in hand and exits; ECS sends SIGKILL after this long.
 */
export const WORKER_STOP_TIMEOUT = Duration.seconds(30);

export interface WorkerContainerOptions extends ConsumerContract {
  readonly cpu: number;
  readonly memoryMb: number;
  /** Build args for Dockerfile.worker (the GPU variant picks a CUDA base and ORT binaries). */
  readonly buildArgs?: Record<string, string>;
  readonly gpuCount?: number;
  readonly extraEnvironment?: Record<string, string>;
}

/** The one worker container both the Fargate and the GPU services run, with its log group and grants. */
export function addWorkerContainer(taskDefinition: TaskDefinition, opts: WorkerContainerOptions): ContainerDefinition {
  const logGroup = new LogGroup(taskDefinition, 'Logs', {
    retention: RetentionDays.TWO_WEEKS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  grantConsumer(taskDefinition.taskRole, opts);
  acceptNagFinding(taskDefinition, 'AwsSolutions-ECS2', 'The environment holds configuration only (queue URL, bucket, prefix, limits), all visible in the template anyway; the worker needs no secrets, its AWS access comes from the task role.');
  acceptNagFinding(taskDefinition, 'AwsSolutions-IAM5[Resource::*]', 'The execution role CDK creates for the image pull: ecr:GetAuthorizationToken supports no resource-level permission, so it must be "*"; the layer reads are scoped to the asset repository.');
  return taskDefinition.addContainer('worker', {
    image: ContainerImage.fromAsset(REPO_ROOT, repoImage('Dockerfile.worker', opts.buildArgs)),
    cpu: opts.cpu,
    memoryLimitMiB: opts.memoryMb,
    gpuCount: opts.gpuCount,
    environment: { ...consumerEnvironment(opts), ...opts.extraEnvironment },
    logging: LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup }),
    stopTimeout: WORKER_STOP_TIMEOUT,
  });
}
