import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'chai';
import { SHARED_CACHE_PORT } from '../lib/shared-cache.js';
import { synth } from './support/synth.js';

type Variables = Record<string, unknown>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function lambdaVariables(context: Record<string, string>): Variables {
  // The embed function, not a CDK helper function.
  const fns = Object.values(synth(context).template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }));
  return (fns[0] as { Properties: { Environment: { Variables: Variables } } }).Properties.Environment.Variables;
}

function workerVariables(context: Record<string, string>): Variables {
  const tasks = Object.values(synth(context).template.findResources('AWS::ECS::TaskDefinition'));
  const env = (tasks[0] as { Properties: { ContainerDefinitions: { Environment: { Name: string; Value: unknown }[] }[] } }).Properties.ContainerDefinitions[0]!.Environment;
  return Object.fromEntries(env.map((e) => [e.Name, e.Value]));
}

describe('cache plugin in the consumers (context cache, sharedCache)', function () {
  // The first synthesis of a context stages the Docker contexts: slow on a busy machine.
  this.timeout(300_000);

  it('is off by default: no cache settings, no ElastiCache, no isolated subnets', () => {
    const { template } = synth();

    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    expect(lambdaVariables({})).to.not.have.any.keys('EMBEDLINE_PLUGINS', 'EMBEDLINE_CACHE_SNAPSHOT_URL', 'EMBEDLINE_CACHE_REDIS_URL');
    expect(Object.keys(template.findResources('AWS::EC2::Subnet'))).to.have.length(2);
  });

  it('cache=true: the plugin with its snapshot in the results bucket, in the Lambda and the workers alike', () => {
    for (const variables of [lambdaVariables({ cache: 'true' }), workerVariables({ cache: 'true' })]) {
      expect(variables['EMBEDLINE_PLUGINS']).to.equal('cache');
      expect(JSON.stringify(variables['EMBEDLINE_CACHE_SNAPSHOT_URL'])).to.match(/s3:\/\/.*ResultsBucket.*\/cache\/embedline\.snapshot/);
      expect(variables).to.not.have.key('EMBEDLINE_CACHE_REDIS_URL');
    }
    synth({ cache: 'true' }).template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
  });

  it('grants read and replace of the one snapshot object, nothing wider', () => {
    const { template } = synth({ cache: 'true' });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
    const snapshot = statements.filter((s) => JSON.stringify(s.Resource).includes('cache/'));

    expect(snapshot.length, 'one statement per consumer role').to.be.greaterThan(0);
    for (const s of snapshot) {
      expect(s.Action).to.deep.equal(['s3:GetObject', 's3:PutObject']);
      expect(JSON.stringify(s.Resource)).to.match(/"\/cache\/embedline\.snapshot"\]/);
    }
  });

  it('sharedCache=true: a Valkey replication group, TLS required, encrypted, Multi-AZ, in isolated subnets', () => {
    const { template } = synth({ sharedCache: 'true' });

    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      CacheNodeType: 'cache.t4g.small',
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      Port: SHARED_CACHE_PORT,
    });
    template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  it('sharedCache=true: the cache accepts connections only from the Lambda\'s and the workers\' security groups, on its port', () => {
    const { template } = synth({ sharedCache: 'true' });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => (r as { Properties: Record<string, unknown> }).Properties);
    const toCache = ingress.filter((r) => JSON.stringify(r['GroupId']).includes('SharedCache'));

    expect(toCache.map((r) => r['Description']).sort()).to.deep.equal(['Embedline Lambda', 'Embedline workers']);
    for (const rule of toCache) {
      expect(rule).to.include({ IpProtocol: 'tcp', FromPort: SHARED_CACHE_PORT, ToPort: SHARED_CACHE_PORT });
      expect(rule).to.have.property('SourceSecurityGroupId');
      expect(rule).to.not.have.property('CidrIp');
    }
  });

  it('sharedCache=true: both consumers get the rediss:// URL of the primary; the Lambda runs in the isolated subnets', () => {
    for (const variables of [lambdaVariables({ sharedCache: 'true' }), workerVariables({ sharedCache: 'true' })]) {
      expect(variables['EMBEDLINE_PLUGINS']).to.equal('cache');
      const url = JSON.stringify(variables['EMBEDLINE_CACHE_REDIS_URL']);
      expect(url).to.contain('rediss://').and.to.contain('PrimaryEndPoint.Address').and.to.contain('PrimaryEndPoint.Port');
    }
    synth({ sharedCache: 'true' }).template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
  });

  it('sharedCache with the results queue: the Lambda reaches SQS through an interface endpoint (it has no route out)', () => {
    const endpoints = Object.values(synth({ sharedCache: 'true', resultsQueue: 'true' }).template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));

    expect(endpoints.map((e) => JSON.stringify((e as { Properties: { ServiceName: unknown } }).Properties.ServiceName))).to.have.length(1).and.satisfy((names: string[]) => names[0]!.includes('.sqs'));
  });

  it('sharedCache on GPU workers: the hosts\' security group may connect', () => {
    const { template } = synth({ sharedCache: 'true', gpu: 'true' });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => JSON.stringify((r as { Properties: unknown }).Properties));

    expect(ingress.filter((r) => r.includes('SharedCache') && r.includes('GpuWorkers'))).to.have.length(1);
  });
});
