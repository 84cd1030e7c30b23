import { SecurityGroup, SubnetType, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { CpuArchitecture, FargateService, FargateTaskDefinition, OperatingSystemFamily, type ICluster } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { ConsumerContract } from './consumer-contract.js';
import { scaleOnQueueBacklog } from './queue-scaling.js';
import { addWorkerContainer } from './worker-container.js';

export interface WorkerServiceProps extends ConsumerContract {
  readonly vpc: IVpc;
  readonly cluster: ICluster;
  readonly cpu: number;
  readonly memoryMb: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/** Long-running CPU workers on Fargate that poll the requests queue; scales with its depth. */
export class WorkerService extends Construct {
  readonly service: FargateService;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    const taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMb,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    addWorkerContainer(taskDefinition, { ...props });
    // Workers only make outbound calls; nothing may connect to them.
    const securityGroup = new SecurityGroup(this, 'Sg', { vpc: props.vpc, allowAllOutbound: true, description: 'Embedline workers: egress only' });
    this.service = new FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition,
      // Public subnet + public IP instead of NAT (see Network for the cost reasoning).
      assignPublicIp: true,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      // No desiredCount: autoscaling owns it, and a deploy must not reset a scaled-out service.
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    const capacity = this.service.autoScaleTaskCount({ minCapacity: props.minTasks, maxCapacity: props.maxTasks });
    scaleOnQueueBacklog(capacity, props.queues.requests, { min: props.minTasks, max: props.maxTasks });
  }
}
