import { App } from 'aws-cdk-lib';
import { expect } from 'chai';
import { InfraConfigError, readConfig } from '../lib/config.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    const config = readConfig(new App().node);

    expect(config).to.include({ maxReceiveCount: 5, lambdaTimeoutSec: 120, lambdaMemoryMb: 3008, workerCpu: 2048, workerMemoryMb: 4096, minTasks: 0, gpu: false });
    expect([...config.consumers]).to.deep.equal(['lambda', 'ecs']);
  });

  it('reports every invalid context value at once', () => {
    const app = new App({ context: { maxReceiveCount: '0', gpu: 'yes', minTasks: '5', maxTasks: '2', consumers: 'batch' } });

    const error = thrown(() => readConfig(app.node));

    expect(error).to.be.instanceOf(InfraConfigError);
    expect((error as InfraConfigError).problems).to.have.length(4);
  });
});
