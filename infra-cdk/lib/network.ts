import { GatewayVpcEndpointAwsService, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acceptNagFinding } from './nag.js';

/**
 * Public subnets only, no NAT. Workers get a public IP and a security group without
 * ingress. Why not private subnets: a NAT gateway costs ~USD 33/month per AZ before
 * traffic, and the interface endpoints the workers would need instead (SQS, ECR api,
 * ECR dkr, CloudWatch Logs) cost ~USD 7/month each per AZ; a public IPv4 is ~USD 3.6/month
 * per running task and nothing when scaled to zero.
 */
export class Network extends Construct {
  readonly vpc: Vpc;

  /**
   * `isolated` adds subnets without any route out (context `sharedCache`): the shared Valkey cache
   * lives there, and so does the Lambda once it must reach it (a function in a VPC gets no public IP).
   */
  constructor(scope: Construct, id: string, opts: { readonly isolated?: boolean } = {}) {
    super(scope, id);
    const isolated = opts.isolated ? [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] : [];
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }, ...isolated],
    });
    // Free, and keeps image layers, result uploads and cache snapshots on the AWS network (the only way to S3 from the isolated subnets).
    this.vpc.addGatewayEndpoint('S3', {
      service: GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnetType: SubnetType.PUBLIC }, ...(opts.isolated ? [{ subnetType: SubnetType.PRIVATE_ISOLATED }] : [])],
    });
    acceptNagFinding(this.vpc, 'AwsSolutions-VPC7', 'No flow logs: the VPC holds only embedline workers, whose security groups allow no ingress and whose only traffic is HTTPS to SQS, S3, ECR and CloudWatch (audited by CloudTrail); a flow-log group would cost more than the workers\' traffic is worth watching.');
  }
}
