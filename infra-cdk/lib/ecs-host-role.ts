import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ICluster } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { acceptNagFinding } from './nag.js';

/**
 * Instance role for ECS container hosts with the agent's actions spelled out.
 * CDK's default grants `ecs:Submit*` plus logs on every group; image pulls and logs
 * go through the task execution role here, so the host needs only what the agent calls.
 * Hand {@link EcsHostRole.immutable} to the AutoScalingGroup so CDK cannot widen it.
 */
export class EcsHostRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, cluster: ICluster) {
    super(scope, id);
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
    const containerInstances = Stack.of(this).formatArn({ service: 'ecs', resource: 'container-instance', resourceName: '*' });
    const inThisCluster = { ArnEquals: { 'ecs:cluster': cluster.clusterArn } };
    this.role.addToPolicy(new PolicyStatement({
      actions: ['ecs:RegisterContainerInstance', 'ecs:DeregisterContainerInstance', 'ecs:SubmitAttachmentStateChanges',
        'ecs:SubmitContainerStateChange', 'ecs:SubmitTaskStateChange'],
      resources: [cluster.clusterArn],
    }));
    this.role.addToPolicy(new PolicyStatement({
      actions: ['ecs:Poll', 'ecs:StartTelemetrySession', 'ecs:PutSystemLogEvents'],
      resources: [containerInstances],
      conditions: inThisCluster,
    }));
    // Neither action supports resource-level permissions.
    this.role.addToPolicy(new PolicyStatement({ actions: ['ecs:DiscoverPollEndpoint', 'ecr:GetAuthorizationToken'], resources: ['*'] }));
    acceptNagFinding(this.role, 'AwsSolutions-IAM5[Resource::*]', 'ecs:DiscoverPollEndpoint and ecr:GetAuthorizationToken support no resource-level permissions; nothing else in this role is unscoped.');
    acceptNagFinding(this.role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:container-instance/*]', 'Container-instance ARNs exist only once an instance registers; the statement is held to this cluster by the ecs:cluster condition.');
  }

  /** The role as the AutoScalingGroup should see it: usable, but closed to further grants. */
  get immutable() {
    return this.role.withoutPolicyUpdates();
  }
}
