import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { synth } from './support/synth.js';

describe('EmbedFunction', () => {
  it('reports batch item failures so one bad message fails alone', () => {
    synth().template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('polls in batches of 32 with a 2 s window and bounded concurrency', () => {
    synth({ lambdaMaxConcurrency: '25' }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 32,
      MaximumBatchingWindowInSeconds: 2,
      ScalingConfig: { MaximumConcurrency: 25 },
    });
  });

  it('runs the handler from the container image with 3008 MB and 120 s by default', () => {
    synth().template.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      MemorySize: 3008,
      Timeout: 120,
      ImageConfig: { Command: ['dist/functions/sqs-embed/handler.handler'] },
    });
  });

  it('tells the handler to write to the results bucket', () => {
    synth().template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EMBEDLINE_SINK: 's3',
          EMBEDLINE_S3_BUCKET: { Ref: Match.stringLikeRegexp('^ResultsBucket') },
        }),
      },
    });
  });

  it('stages the Lambda image from Dockerfile.lambda without building it', () => {
    const lambdaImage = synth().images.find((i) => i.file === 'Dockerfile.lambda');

    expect(lambdaImage, 'staged image asset').to.not.equal(undefined);
    expect(lambdaImage?.platform).to.equal('linux/amd64');
  });

  it('omits the Lambda when consumers=ecs', () => {
    synth({ consumers: 'ecs' }).template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });
});
