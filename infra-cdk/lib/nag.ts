import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Accepts one cdk-nag (AwsSolutions) finding on `scope` and everything below it. Call it beside
 * the resource the finding is about, with the design reason, so the reason is reviewed with the
 * code it excuses; `test/nag.test.ts` fails on any finding not accepted this way.
 *
 * @example
 * acceptNagFinding(bucket, 'AwsSolutions-S1', 'Access is audited by CloudTrail data events.');
 */
export function acceptNagFinding(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag writes a resource's ARN in a finding id (`AwsSolutions-IAM5[Resource::<Id.Arn>/…]`). */
export function nagArnOf(resource: CfnElement): string {
  return `<${Stack.of(resource).getLogicalId(resource)}.Arn>`;
}
