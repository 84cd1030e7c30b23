import { AutoScalingGroup, BlockDeviceVolume, EbsDeviceVolumeType } from 'aws-cdk-lib/aws-autoscaling';
import { InstanceType, SubnetType, type Connections, type IConnectable, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { AmiHardwareType, AsgCapacityProvider, Ec2Service, Ec2TaskDefinition, EcsOptimizedImage, NetworkMode, type Cluster } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { acceptNagFinding } from './nag.js';
import type { ConsumerContract } from './consumer-contract.js';
import { EcsHostRole } from './ecs-host-role.js';
import { scaleOnQueueBacklog } from './queue-scaling.js';
import { addWorkerContainer } from './worker-container.js';

/**
 * The worker's settings on a GPU host: one CUDA session on the task's one GPU (ORT runs what
 * CUDA has no kernel for on the CPU), and bigger, looser batches than the CPU defaults, because each GPU run() carries a
 * fixed launch and copy cost. The batch values are a starting point that no GPU has measured yet
 * (docs/gpu.md, "Batch settings for a GPU").
 */
export const GPU_WORKER_ENVIRONMENT = {
  EMBEDLINE_EXECUTION_PROVIDERS: 'cuda,cpu',
  EMBEDLINE_WORKERS: '1',
  EMBEDLINE_MAX_BATCH_SIZE: '128',
  EMBEDLINE_MAX_PADDING_RATIO: '0.3',
  // ECS gives each task its own GPU (NVIDIA_VISIBLE_DEVICES), which CUDA then numbers 0: the
  // session's deviceId. Saying so pins it even if a host ever exposed more GPUs to the task.
  CUDA_VISIBLE_DEVICES: '0',
} as const;

/**
 * NVIDIA GPUs per g5/g6 instance size (A10G and L4 respectively): how many worker tasks, one per
 * GPU, ECS places on one host. Sizes not listed here are refused rather than guessed.
 */
export const GPUS_PER_INSTANCE: Readonly<Record<string, number>> = {
  'g5.xlarge': 1, 'g5.2xlarge': 1, 'g5.4xlarge': 1, 'g5.8xlarge': 1, 'g5.16xlarge': 1, 'g5.12xlarge': 4, 'g5.24xlarge': 4, 'g5.48xlarge': 8,
  'g6.xlarge': 1, 'g6.2xlarge': 1, 'g6.4xlarge': 1, 'g6.8xlarge': 1, 'g6.16xlarge': 1, 'g6.12xlarge': 4, 'g6.24xlarge': 4, 'g6.48xlarge': 8,
};

export function gpusPerInstance(instanceType: string): number {
  const gpus = GPUS_PER_INSTANCE[instanceType];
  if (gpus === undefined) throw new Error(`gpuInstanceType ${instanceType} is not a known g5/g6 size; use one of ${Object.keys(GPUS_PER_INSTANCE).join(', ')}`);
  return gpus;
}

/** Build args that turn Dockerfile.worker into the CUDA image. */
export const GPU_BUILD_ARGS = {
  ONNXRUNTIME_NODE_INSTALL: 'cuda12',
  RUNTIME_BASE: 'nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04',
} as const;

export interface GpuWorkerServiceProps extends ConsumerContract {
  readonly vpc: IVpc;
  readonly cluster: Cluster;
  readonly instanceType: string;
  readonly cpu: number;
  readonly memoryMb: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/**
 * Workers on ECS-on-EC2 GPU instances (g5/g6), one worker task per GPU: a 4-GPU host
 * (g5.12xlarge) runs four tasks, each with its own GPU, SQS consumer and failure domain
 * (docs/gpu.md says why not one process with four devices). Fargate has no GPUs.
 * Instances scale with the tasks through a managed capacity provider, down to zero.
 */
export class GpuWorkerService extends Construct implements IConnectable {
  readonly service: Ec2Service;
  /** The hosts' security group: bridge-mode tasks connect out (to the shared cache) as their host. */
  readonly connections: Connections;

  constructor(scope: Construct, id: string, props: GpuWorkerServiceProps) {
    super(scope, id);
    const gpusPerHost = gpusPerInstance(props.instanceType);
    const hosts = new AutoScalingGroup(this, 'Hosts', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      // Public IP instead of NAT (see Network); the security group has no ingress rules.
      associatePublicIpAddress: true,
      instanceType: new InstanceType(props.instanceType),
      machineImage: EcsOptimizedImage.amazonLinux2023(AmiHardwareType.GPU),
      requireImdsv2: true,
      // Encrypted root volume (cdk-nag AwsSolutions-EC26). The GPU AMI's own snapshot is 30 GiB;
      // 60 leaves room for the CUDA worker image, which unpacks to several GiB.
      blockDevices: [{ deviceName: '/dev/xvda', volume: BlockDeviceVolume.ebs(60, { encrypted: true, volumeType: EbsDeviceVolumeType.GP3 }) }],
      role: new EcsHostRole(this, 'HostRole', props.cluster).immutable,
      minCapacity: 0,
      maxCapacity: Math.ceil(props.maxTasks / gpusPerHost),
    });
    this.connections = hosts.connections;
    acceptNagFinding(hosts, 'AwsSolutions-AS3', 'The ECS capacity provider drives this group from the task count; scaling is observed through the service\'s task count and the queue alarms, so per-instance notifications would only repeat them.');
    // Termination protection would block stack deletion (a known CloudFormation issue).
    // Managed draining lets running tasks finish before an instance goes, and saying so
    // explicitly spares CDK's own drain-hook Lambda and SNS topic.
    const capacityProvider = new AsgCapacityProvider(this, 'Capacity', {
      autoScalingGroup: hosts,
      enableManagedTerminationProtection: false,
      enableManagedDraining: true,
    });
    props.cluster.addAsgCapacityProvider(capacityProvider);
    // Bridge mode: tasks share the instance's public IP. awsvpc tasks on EC2 get no public IP and would need NAT.
    const taskDefinition = new Ec2TaskDefinition(this, 'Task', { networkMode: NetworkMode.BRIDGE });
    addWorkerContainer(taskDefinition, {
      ...props,
      buildArgs: GPU_BUILD_ARGS,
      gpuCount: 1,
      extraEnvironment: GPU_WORKER_ENVIRONMENT,
    });
    this.service = new Ec2Service(this, 'Service', {
      cluster: props.cluster,
      taskDefinition,
      capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    const capacity = this.service.autoScaleTaskCount({ minCapacity: props.minTasks, maxCapacity: props.maxTasks });
    scaleOnQueueBacklog(capacity, props.queues.requests, { min: props.minTasks, max: props.maxTasks });
  }
}
