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

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    });
    // Free, and keeps image layers and result uploads on the AWS network.
    this.vpc.addGatewayEndpoint('S3', { service: GatewayVpcEndpointAwsService.S3 });
    acceptNagFinding(this.vpc, 'AwsSolutions-VPC7', 'No flow logs: the VPC holds only embedline workers, whose security groups allow no ingress and whose only traffic is HTTPS to SQS, S3, ECR and CloudWatch (audited by CloudTrail); a flow-log group would cost more than the workers\' traffic is worth watching.');
  }
}
