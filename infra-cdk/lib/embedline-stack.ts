import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Cluster, ContainerInsights } from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { Alarms } from './alarms.js';
import type { EmbedlineConfig } from './config.js';
import type { ConsumerContract } from './consumer-contract.js';
import { EmbedFunction } from './embed-function.js';
import { GpuWorkerService } from './gpu-worker-service.js';
import { Network } from './network.js';
import { Queues } from './queues.js';
import { ResultsBucket } from './results-bucket.js';
import { WorkerService } from './worker-service.js';

export interface EmbedlineStackProps extends StackProps {
  readonly config: EmbedlineConfig;
}

/** Queues, results bucket, the chosen consumers (Lambda and/or ECS workers) and their alarms. */
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
    const contract: ConsumerContract = { queues, results };

    const embed = config.consumers.has('lambda')
      ? new EmbedFunction(this, 'Embed', {
          ...contract,
          timeout: lambdaTimeout,
          memoryMb: config.lambdaMemoryMb,
          maxConcurrency: config.lambdaMaxConcurrency,
        })
      : undefined;
    if (config.consumers.has('ecs')) this.addWorkers(config, contract);

    new Alarms(this, 'Alarms', { queues, fn: embed?.fn, maxMessageAgeSec: config.maxMessageAgeSec, email: config.alarmEmail });
    new CfnOutput(this, 'RequestsQueueUrl', { value: queues.requests.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: queues.deadLetters.queueUrl });
    new CfnOutput(this, 'ResultsBucketName', { value: results.bucket.bucketName });
  }

  private addWorkers(config: EmbedlineConfig, contract: ConsumerContract): void {
    const { vpc } = new Network(this, 'Network');
    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const sizing = {
      vpc,
      cluster,
      cpu: config.workerCpu,
      memoryMb: config.workerMemoryMb,
      minTasks: config.minTasks,
      maxTasks: config.maxTasks,
    };
    if (config.gpu) new GpuWorkerService(this, 'GpuWorkers', { ...contract, ...sizing, instanceType: config.gpuInstanceType });
    else new WorkerService(this, 'Workers', { ...contract, ...sizing });
  }
}
