import { expect } from 'chai';
import { synth } from './support/synth.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type PolicyDoc = { Statement: Statement[] };

function allowStatements(context: Record<string, string>): Statement[] {
  const { template } = synth(context);
  const inline = Object.values(template.findResources('AWS::IAM::Policy')).map(
    (p) => (p as { Properties: { PolicyDocument: PolicyDoc } }).Properties.PolicyDocument,
  );
  const roleInline = Object.values(template.findResources('AWS::IAM::Role')).flatMap(
    (r) => (r as { Properties: { Policies?: { PolicyDocument: PolicyDoc }[] } }).Properties.Policies ?? [],
  ).map((p) => p.PolicyDocument);
  return [...inline, ...roleInline].flatMap((d) => d.Statement).filter((s) => s.Effect === 'Allow');
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('IAM', () => {
  for (const [name, context] of [['default', {}], ['gpu=true', { gpu: 'true' }], ['results queue', { resultsQueue: 'true' }], ['shared cache', { sharedCache: 'true' }]] as const) {
    it(`allows no wildcard actions, not even service:Prefix* (${name})`, () => {
      const actions = allowStatements(context).flatMap(actionsOf);

      expect(actions).to.not.be.empty;
      expect(actions.filter((a) => a.includes('*'))).to.deep.equal([]);
    });
  }

  it('lets consumers create result objects only under results/', () => {
    const s3 = allowStatements({}).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));

    expect(s3.flatMap(actionsOf)).to.deep.equal(['s3:PutObject', 's3:PutObject']); // Lambda and worker
    expect(JSON.stringify(s3.map((s) => s.Resource))).to.match(/\/results\/\*/);
  });

  it('lets consumers only send to the results queue', () => {
    const sends = allowStatements({ resultsQueue: 'true' }).filter((s) => actionsOf(s).includes('sqs:SendMessage'));

    expect(sends.map(actionsOf)).to.deep.equal([['sqs:SendMessage'], ['sqs:SendMessage']]);
  });

  it('attaches no managed policy to the Lambda role', () => {
    const roles = Object.values(synth().template.findResources('AWS::IAM::Role')).map(
      (r) => (r as { Properties: { AssumeRolePolicyDocument: PolicyDoc; ManagedPolicyArns?: unknown[] } }).Properties,
    );
    const lambdaRoles = roles.filter((r) => JSON.stringify(r.AssumeRolePolicyDocument).includes('lambda.amazonaws.com') && !r.ManagedPolicyArns);

    expect(lambdaRoles, 'the embed Lambda role').to.have.length(1);
  });
});
