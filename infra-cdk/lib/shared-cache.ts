import { Port, SecurityGroup, SubnetType, type IConnectable, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { acceptNagFinding } from './nag.js';

/** Not Redis's default 6379 (cdk-nag AwsSolutions-AEC5): a scanner probing the default port finds nothing. */
export const SHARED_CACHE_PORT = 6380;

export interface SharedCacheProps {
  readonly vpc: IVpc;
  /** e.g. cache.t4g.small; the cache holds vectors only (1.7 KB per entry at 384 dimensions). */
  readonly nodeType: string;
}

/**
 * The cache plugin's shared tier for the workers and the Lambda: a Valkey replication group
 * (primary and one replica in another AZ, automatic failover) in the VPC's isolated subnets, TLS in
 * transit required and encrypted at rest, reachable only from the consumers given to
 * {@link allowFrom}. Cluster mode is off and it is not ElastiCache Serverless on purpose: the
 * plugin looks up a whole request's keys in one MGET, which a sharded cache refuses (CROSSSLOT)
 * unless every key hashes to one slot.
 */
export class SharedCache extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly replicationGroup: CfnReplicationGroup;

  constructor(scope: Construct, id: string, props: SharedCacheProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'Sg', { vpc: props.vpc, allowAllOutbound: false, description: 'Embedline shared cache: the consumers only' });
    const subnets = new CfnSubnetGroup(this, 'Subnets', {
      description: 'Embedline shared cache (isolated subnets)',
      subnetIds: props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    this.replicationGroup = new CfnReplicationGroup(this, 'Valkey', {
      replicationGroupDescription: 'Embedline embedding cache shared by the workers and the Lambda',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: props.nodeType,
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: SHARED_CACHE_PORT,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: 0,
    });
    acceptNagFinding(this.replicationGroup, 'AwsSolutions-AEC6', 'No AUTH token: only the consumers\' security groups may connect, TLS is required, and the cache holds embedding vectors under SHA-256 keys (never a text); a token would have to sit in the task and function environment (visible in the template) or add a Secrets Manager read to every cold start.');
  }

  /** `rediss://host:port` of the primary, for EMBEDLINE_CACHE_REDIS_URL. */
  get url(): string {
    return `rediss://${this.replicationGroup.attrPrimaryEndPointAddress}:${this.replicationGroup.attrPrimaryEndPointPort}`;
  }

  /** Lets `consumer` (a worker service or the Lambda) connect, and nothing else. */
  allowFrom(consumer: IConnectable, description: string): void {
    this.securityGroup.connections.allowFrom(consumer, Port.tcp(SHARED_CACHE_PORT), description);
  }
}
