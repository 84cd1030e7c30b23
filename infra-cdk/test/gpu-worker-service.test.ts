import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { GPUS_PER_INSTANCE, gpusPerInstance } from '../lib/gpu-worker-service.js';
import { synth } from './support/synth.js';

describe('GpuWorkerService (gpu=true)', () => {
  it('synthesizes ECS-on-EC2 workers with one GPU per task', () => {
    synth({ gpu: 'true' }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['EC2'],
      ContainerDefinitions: [Match.objectLike({ ResourceRequirements: [{ Type: 'GPU', Value: '1' }], StopTimeout: 30 })],
    });
  });

  it('runs on g6.xlarge hosts by default and takes gpuInstanceType from context', () => {
    synth({ gpu: 'true' }).template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 'g6.xlarge' }),
    });
    synth({ gpu: 'true', gpuInstanceType: 'g5.2xlarge' }).template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 'g5.2xlarge' }),
    });
  });

  it('scales hosts to zero through a managed capacity provider', () => {
    const { template } = synth({ gpu: 'true' });

    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '0' });
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({ ManagedScaling: Match.objectLike({ Status: 'ENABLED' }) }),
    });
    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'StepScaling' }, 2);
  });

  it('builds the worker image with the CUDA 12 ONNX Runtime binaries', () => {
    const worker = synth({ gpu: 'true' }).images.find((i) => i.file === 'Dockerfile.worker');

    expect(worker?.buildArgs).to.include({ ONNXRUNTIME_NODE_INSTALL: 'cuda12' });
  });

  it('runs the worker on a CUDA session with GPU-sized batches', () => {
    synth({ gpu: 'true' }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: 'EMBEDLINE_EXECUTION_PROVIDERS', Value: 'cuda,cpu' },
            { Name: 'EMBEDLINE_WORKERS', Value: '1' },
            { Name: 'EMBEDLINE_MAX_BATCH_SIZE', Value: '128' },
          ]),
        }),
      ],
    });
  });

  it('replaces the Fargate service instead of adding to it', () => {
    synth({ gpu: 'true' }).template.resourceCountIs('AWS::ECS::Service', 1);
    synth({ gpu: 'true' }).template.resourcePropertiesCountIs('AWS::ECS::Service', { LaunchType: 'FARGATE' }, 0);
  });

  it('pins each task to CUDA device 0 of the one GPU ECS gives it', () => {
    synth({ gpu: 'true' }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'CUDA_VISIBLE_DEVICES', Value: '0' }]) })],
    });
  });

  it('runs one task per GPU on a 4-GPU host, so the host group needs a quarter of maxTasks hosts', () => {
    const { template } = synth({ gpu: 'true', gpuInstanceType: 'g5.12xlarge', maxTasks: '8' });

    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ ResourceRequirements: [{ Type: 'GPU', Value: '1' }] })] });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '0', MaxSize: '2' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MaxCapacity: 8 });
  });

  it('needs one host per task on single-GPU sizes', () => {
    synth({ gpu: 'true', maxTasks: '3' }).template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MaxSize: '3' });
  });

  it('knows the GPU count of every g5 and g6 size it lists, and refuses a size it does not know', () => {
    expect(gpusPerInstance('g6.48xlarge')).to.equal(8);
    expect(Object.keys(GPUS_PER_INSTANCE).filter((t) => t.endsWith('.12xlarge')).map(gpusPerInstance)).to.deep.equal([4, 4]);
    expect(() => gpusPerInstance('g6.3xlarge')).to.throw(/g6\.3xlarge is not a known g5\/g6 size/);
  });
});
