// Memorystore for Redis in the home region, reached only through the VPC's private services access:
// AUTH on (the generated auth string stays a secret), TLS in transit (SERVER_AUTHENTICATION, port
// 6378), encrypted at rest, RDB snapshots; STANDARD_HA with read replicas across zones in prod.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { RedisEndpoint } from './types.ts';

export type MemorystoreSize = 'small' | 'medium' | 'large' | 'xlarge';

/** Memory per `cache.size`, in GB. */
export const memorystoreSizes: Record<MemorystoreSize, number> = {
  small: 1,
  medium: 5,
  large: 13,
  xlarge: 26,
};

/** Memorystore serves read replicas only from instances of this size up. */
export const minReadReplicaSizeGb = 5;

export interface MemorystoreRedisArgs {
  project: string;
  region: string;
  gcpProvider: gcp.Provider;
  network: pulumi.Input<string>;
  /** The private services peering; the instance is created after it. */
  privateServices: pulumi.Resource;
  environment: 'dev' | 'staging' | 'prod';
  size: MemorystoreSize;
  /** STANDARD_HA (a replica in another zone, automatic failover) instead of BASIC. */
  highlyAvailable: boolean;
  /** Read replicas (STANDARD_HA of 5 GB or more only, 1-5). */
  readReplicas: number;
  protect: boolean;
}

export class MemorystoreRedis extends pulumi.ComponentResource implements RedisEndpoint {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly password: pulumi.Output<string>;
  public readonly tls = true;
  /**
   * The chain is verified against the instance's own CA; not the host name: the server certificate
   * names the IP in its CN only, which Node (and Go) do not accept for an IP host.
   */
  public readonly sslMode = 'verify-ca' as const;
  public readonly instance: gcp.redis.Instance;
  /** PEM of the CA(s) that signed the server certificate, for clients that verify it. */
  public readonly serverCaCertificate: pulumi.Output<string>;
  /** RedisEndpoint's CA: the same PEM as serverCaCertificate. */
  public readonly caCertificate: pulumi.Output<string>;

  constructor(name: string, args: MemorystoreRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:cache:MemorystoreRedis', name, {}, opts);
    const tier = args.highlyAvailable ? 'STANDARD_HA' : 'BASIC';
    // Read replicas need STANDARD_HA and at least 5 GB; below that HA keeps its one failover replica.
    const memorySizeGb = memorystoreSizes[args.size];
    const replicas =
      args.highlyAvailable && memorySizeGb >= minReadReplicaSizeGb
        ? Math.min(Math.max(args.readReplicas, 1), 5)
        : 0;

    this.instance = new gcp.redis.Instance(
      name,
      {
        project: args.project,
        region: args.region,
        displayName: `edgeplane ${args.environment}`,
        tier,
        memorySizeGb,
        redisVersion: 'REDIS_7_2',
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        authorizedNetwork: args.network,
        authEnabled: true,
        transitEncryptionMode: 'SERVER_AUTHENTICATION',
        ...(replicas > 0
          ? { readReplicasMode: 'READ_REPLICAS_ENABLED', replicaCount: replicas }
          : {}),
        persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'ONE_HOUR' },
        // Only keys with a TTL are evicted: purge sequences and sessions are never dropped for room.
        redisConfigs: { 'maxmemory-policy': 'volatile-lru' },
        maintenancePolicy: {
          weeklyMaintenanceWindows: [{ day: 'SUNDAY', startTime: { hours: 4, minutes: 0 } }],
        },
        labels: { 'part-of': 'edgeplane', environment: args.environment },
        deletionProtection: args.protect,
      },
      {
        parent: this,
        provider: args.gcpProvider,
        dependsOn: [args.privateServices],
        protect: args.protect,
        additionalSecretOutputs: ['authString'],
      },
    );

    this.host = this.instance.host;
    this.port = this.instance.port;
    this.password = pulumi.secret(this.instance.authString);
    this.serverCaCertificate = this.instance.serverCaCerts.apply((certs) =>
      (certs ?? []).map((cert) => cert.cert).join('\n'),
    );
    this.caCertificate = this.serverCaCertificate;

    this.registerOutputs({
      host: this.host,
      port: this.port,
      password: this.password,
      tls: this.tls,
      sslMode: this.sslMode,
      serverCaCertificate: this.serverCaCertificate,
    });
  }
}
