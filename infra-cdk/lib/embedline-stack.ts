import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IConnectable } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerInsights } from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { Alarms } from './alarms.js';
import type { EmbedlineConfig } from './config.js';
import type { ConsumerContract } from './consumer-contract.js';
import { EmbedFunction } from './embed-function.js';
import { GpuWorkerService } from './gpu-worker-service.js';
import { Network } from './network.js';
import { SharedCache } from './shared-cache.js';
import { Queues } from './queues.js';
import { ResultsBucket } from './results-bucket.js';
import { WorkerService } from './worker-service.js';

export interface EmbedlineStackProps extends StackProps {
  readonly config: EmbedlineConfig;
}

/** Queues, results bucket, the chosen consumers (Lambda and/or ECS workers), their alarms and, optionally, their shared cache. */
export class EmbedlineStack extends Stack {
  constructor(scope: Construct, id: string, props: EmbedlineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const lambdaTimeout = Duration.seconds(config.lambdaTimeoutSec);
    const queues = new Queues(this, 'Queues', {
      maxReceiveCount: config.maxReceiveCount,
      consumerTimeout: lambdaTimeout,
      resultsQueue: config.resultsQueue,
    });
    const results = new ResultsBucket(this, 'Results', { retentionDays: config.resultsRetentionDays });
    // The VPC is there for the ECS workers, or for the shared cache (and then the Lambda joins it).
    const network = config.consumers.has('ecs') || config.sharedCache ? new Network(this, 'Network', { isolated: config.sharedCache }) : undefined;
    const shared = config.sharedCache && network ? new SharedCache(this, 'SharedCache', { vpc: network.vpc, nodeType: config.sharedCacheNodeType }) : undefined;
    const cache = config.cache || shared ? { redisUrl: shared?.url } : undefined;
    const contract: ConsumerContract = { queues, results, cache };

    const embed = config.consumers.has('lambda')
      ? new EmbedFunction(this, 'Embed', {
          ...contract,
          timeout: lambdaTimeout,
          memoryMb: config.lambdaMemoryMb,
          maxConcurrency: config.lambdaMaxConcurrency,
          vpc: shared ? network?.vpc : undefined,
        })
      : undefined;
    if (embed && shared) shared.allowFrom(embed.fn, 'Embedline Lambda');
    if (config.consumers.has('ecs') && network) {
      const workers = this.addWorkers(config, contract, network);
      if (shared) shared.allowFrom(workers, 'Embedline workers');
    }

    new Alarms(this, 'Alarms', { queues, fn: embed?.fn, maxMessageAgeSec: config.maxMessageAgeSec, email: config.alarmEmail });
    new CfnOutput(this, 'RequestsQueueUrl', { value: queues.requests.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: queues.deadLetters.queueUrl });
    new CfnOutput(this, 'ResultsBucketName', { value: results.bucket.bucketName });
    if (shared) new CfnOutput(this, 'SharedCacheUrl', { value: shared.url });
  }

  private addWorkers(config: EmbedlineConfig, contract: ConsumerContract, { vpc }: Network): IConnectable {
    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const sizing = {
      vpc,
      cluster,
      cpu: config.workerCpu,
      memoryMb: config.workerMemoryMb,
      minTasks: config.minTasks,
      maxTasks: config.maxTasks,
    };
    if (config.gpu) return new GpuWorkerService(this, 'GpuWorkers', { ...contract, ...sizing, instanceType: config.gpuInstanceType });
    return new WorkerService(this, 'Workers', { ...contract, ...sizing }).service;
  }
}
