// ElastiCacheRedis implements RedisEndpoint on AWS: a replication group in the region's private
// subnets, reachable only from the VPC on 6379, encrypted in transit (the runtime connects with
// rediss://) and at rest, an AUTH token kept secret, and automatic failover across zones when
// highly available (a primary plus replicas in other zones).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { RedisEndpoint } from './types.ts';

export const elasticacheNodeTypes = {
  small: 'cache.t4g.small',
  medium: 'cache.m7g.large',
  large: 'cache.m7g.xlarge',
  xlarge: 'cache.m7g.2xlarge',
} as const;

export interface ElastiCacheRedisArgs {
  provider: aws.Provider;
  vpcId: pulumi.Input<string>;
  allowedCidrs: string[];
  subnetIds: pulumi.Input<string>[];
  size: keyof typeof elasticacheNodeTypes;
  /** Read replicas beside the primary (0-5). */
  replicas: number;
  /** Spread over zones with automatic failover (needs at least one replica). */
  multiAz: boolean;
  /** Days of daily snapshots (0 for none). */
  snapshotRetentionDays: number;
  protect: boolean;
  tags: Record<string, string>;
}

export class ElastiCacheRedis extends pulumi.ComponentResource implements RedisEndpoint {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly password: pulumi.Output<string>;
  public readonly tls = true;
  public readonly replicationGroup: aws.elasticache.ReplicationGroup;

  constructor(name: string, args: ElastiCacheRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): a group that cannot fail over registers nothing.
    if (args.multiAz && args.replicas < 1) {
      throw new Error(
        `ElastiCacheRedis ${name}: multiAz needs at least one replica to fail over to (set cache.replicas to 1 or more)`,
      );
    }
    super('edgeplane:cache:ElastiCacheRedis', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const { tags } = args;
    const subnets = new aws.elasticache.SubnetGroup(
      name,
      { subnetIds: args.subnetIds, description: 'edgeplane Redis: private subnets', tags },
      child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: 'edgeplane Redis: 6379 from the VPC only',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 6379,
            toPort: 6379,
            cidrBlocks: args.allowedCidrs,
            description: 'Redis from the VPC',
          },
        ],
        tags,
      },
      child,
    );
    // AUTH tokens: 16-128 printable characters without '@', '"' or '/'.
    const token = new random.RandomPassword(
      `${name}-auth-token`,
      { length: 64, special: false },
      { parent: this },
    );
    this.replicationGroup = new aws.elasticache.ReplicationGroup(
      name,
      {
        description: 'edgeplane Redis',
        engine: 'redis',
        engineVersion: '7.1',
        parameterGroupName: 'default.redis7',
        nodeType: elasticacheNodeTypes[args.size],
        numCacheClusters: 1 + args.replicas,
        automaticFailoverEnabled: args.multiAz,
        multiAzEnabled: args.multiAz,
        port: 6379,
        subnetGroupName: subnets.name,
        securityGroupIds: [securityGroup.id],
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        transitEncryptionMode: 'required',
        authToken: pulumi.secret(token.result),
        authTokenUpdateStrategy: 'ROTATE',
        snapshotRetentionLimit: args.snapshotRetentionDays,
        snapshotWindow: '02:00-03:00',
        maintenanceWindow: 'sun:05:30-sun:06:30',
        autoMinorVersionUpgrade: true,
        applyImmediately: !args.protect,
        tags,
      },
      { ...child, protect: args.protect },
    );
    this.host = this.replicationGroup.primaryEndpointAddress;
    this.port = this.replicationGroup.port.apply((port) => port ?? 6379);
    this.password = pulumi.secret(token.result);
    this.registerOutputs({ host: this.host, port: this.port });
  }
}
