import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { synth } from './support/synth.js';

type QueueProps = { VisibilityTimeout?: number; RedrivePolicy?: { maxReceiveCount: number } };

function requestsQueue(context: Record<string, string> = {}): QueueProps {
  const queues = synth(context).template.findResources('AWS::SQS::Queue', {
    Properties: { RedrivePolicy: Match.objectLike({ maxReceiveCount: Match.anyValue() }) },
  });
  const [only, ...rest] = Object.values(queues);
  expect(rest, 'exactly one queue has a redrive policy').to.have.length(0);
  return (only as { Properties: QueueProps }).Properties;
}

describe('Queues', () => {
  it('redrives requests to the dead-letter queue after 5 receives by default', () => {
    const { template } = synth();

    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QueuesRequestsDlq'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('takes maxReceiveCount from context', () => {
    expect(requestsQueue({ maxReceiveCount: '2' }).RedrivePolicy?.maxReceiveCount).to.equal(2);
  });

  it('keeps the requests visibility timeout at least six times the Lambda timeout', () => {
    const lambdaTimeouts = Object.values(synth().template.findResources('AWS::Lambda::Function'))
      .map((r) => (r as { Properties: { Timeout?: number; PackageType?: string } }).Properties)
      .filter((p) => p.PackageType === 'Image')
      .map((p) => p.Timeout ?? 3);

    expect(lambdaTimeouts).to.deep.equal([120]);
    expect(requestsQueue().VisibilityTimeout).to.be.at.least(6 * 120);
  });

  it('follows a custom Lambda timeout with the visibility timeout', () => {
    expect(requestsQueue({ lambdaTimeoutSec: '300' }).VisibilityTimeout).to.be.at.least(6 * 300);
  });

  it('encrypts every queue with SQS-managed keys', () => {
    const queues = Object.values(synth({ resultsQueue: 'true' }).template.findResources('AWS::SQS::Queue'));

    expect(queues).to.have.length(3);
    for (const q of queues) expect((q as { Properties: { SqsManagedSseEnabled?: boolean } }).Properties.SqsManagedSseEnabled).to.equal(true);
  });

  it('creates a results queue only when asked', () => {
    synth().template.resourceCountIs('AWS::SQS::Queue', 2);
    synth({ resultsQueue: 'true' }).template.resourceCountIs('AWS::SQS::Queue', 3);
  });
});
