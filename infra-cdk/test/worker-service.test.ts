import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { synth } from './support/synth.js';

type AlarmProps = { Metrics?: { MetricStat?: { Metric: { MetricName: string } } }[] };

describe('WorkerService', () => {
  it('gives the worker 30 s to shut down gracefully', () => {
    synth().template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'worker', StopTimeout: 30 })],
    });
  });

  it('sizes Fargate tasks at 2 vCPU and 4 GiB by default', () => {
    synth().template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '2048',
      Memory: '4096',
    });
  });

  it('steps the task count on queue depth', () => {
    const { template } = synth();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: AlarmProps }).Properties,
    );
    const scalingAlarms = alarms.filter((a) =>
      a.Metrics?.some((m) => m.MetricStat?.Metric.MetricName === 'ApproximateNumberOfMessagesVisible'),
    );

    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'StepScaling' }, 2);
    expect(scalingAlarms, 'scale-in and scale-out alarms').to.have.length(2);
  });

  it('sets exact task counts, so a steady trickle of messages does not creep up to maxTasks', () => {
    const { template } = synth({ minTasks: '0', maxTasks: '6' });

    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      StepScalingPolicyConfiguration: Match.objectLike({
        AdjustmentType: 'ExactCapacity',
        StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: 0 }],
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      StepScalingPolicyConfiguration: Match.objectLike({
        AdjustmentType: 'ExactCapacity',
        StepAdjustments: Match.arrayWith([Match.objectLike({ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 })]),
      }),
    });
  });

  it('may scale to zero tasks and up to maxTasks', () => {
    synth({ minTasks: '0', maxTasks: '7' }).template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 7,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
  });

  it('reaches AWS through public IPs instead of a NAT gateway', () => {
    const { template } = synth();

    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
    });
  });

  it('accepts no inbound traffic', () => {
    synth().template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Embedline workers: egress only',
      SecurityGroupIngress: Match.absent(),
    });
  });

  it('enables Container Insights on the cluster', () => {
    synth().template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('omits the VPC and the service when consumers=lambda', () => {
    const { template } = synth({ consumers: 'lambda' });

    template.resourceCountIs('AWS::ECS::Service', 0);
    template.resourceCountIs('AWS::EC2::VPC', 0);
  });
});
