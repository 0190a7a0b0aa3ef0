// Redis inside the cluster (k3s, dev): one StatefulSet instance with AUTH (requirepass, generated
// and kept secret) and AOF persistence on a PersistentVolumeClaim, restricted security context,
// probes, requests and limits, a disruption budget, and a NetworkPolicy that lets only the origin in.
// The whole redis.conf lives in a Secret, so the password never shows in a command line or env dump.
import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  type DataStoreClient,
  dataStoreIdentity,
  generatedPassword,
  originClient,
  singleInstanceDataStore,
} from '../cluster/data-store.ts';
import type { ClusterOutputs } from '../cluster/types.ts';
import type { RedisEndpoint } from './types.ts';

export type RedisSize = 'small' | 'medium' | 'large' | 'xlarge';

/** Official Alpine image: user redis = 999, group redis = 1000. */
export const redisImage = 'redis:7.4.5-alpine';
const redisUid = 999;
const redisGid = 1000;
export const redisPort = 6379;

// maxmemory leaves room below the limit for the AOF rewrite's fork and client buffers; the volume
// holds the AOF and its rewrite (about twice the data).
const sizes: Record<
  RedisSize,
  { cpu: string; memory: string; maxmemory: string; storageGb: number }
> = {
  small: { cpu: '100m', memory: '256Mi', maxmemory: '160mb', storageGb: 1 },
  medium: { cpu: '250m', memory: '1Gi', maxmemory: '700mb', storageGb: 4 },
  large: { cpu: '500m', memory: '4Gi', maxmemory: '2800mb', storageGb: 16 },
  xlarge: { cpu: '1', memory: '8Gi', maxmemory: '5600mb', storageGb: 32 },
};

/** redis.conf: AUTH, AOF every second (plus the default RDB snapshots), evicting only keys with a TTL. */
export function redisConfig(password: string, maxmemory: string, dataDir = '/data'): string {
  if (!/^[^\s"'\\]+$/.test(password)) {
    // The generated one is alphanumeric; whitespace, quotes or backslashes would need quoting here.
    throw new Error('the Redis password must have no whitespace, quotes or backslashes');
  }
  return [
    `port ${redisPort}`,
    'bind * -::*',
    `requirepass ${password}`,
    `dir ${dataDir}`,
    'appendonly yes',
    'appendfsync everysec',
    `maxmemory ${maxmemory}`,
    // Rate-limit counters and sessions carry TTLs; keys without one (none today) are never evicted.
    'maxmemory-policy volatile-lru',
    '',
  ].join('\n');
}

export interface InClusterRedisArgs {
  cluster: ClusterOutputs;
  /** Namespace to run in (namespaces.data); it must exist. */
  namespace: pulumi.Input<string>;
  environment: string;
  /** `cache.size`: CPU, memory, maxmemory and volume size. */
  size: RedisSize;
  /** Overrides the volume size from `size`. */
  storageGb?: number;
  /** Protect the StatefulSet and Secret, and refuse drains of the instance. */
  protect?: boolean;
  /** Overrides the pinned image; it must run as 999:1000 like the official Alpine one. */
  image?: string;
  /** Who may connect; default: the origin. */
  clients?: readonly DataStoreClient[];
}

export class InClusterRedis extends pulumi.ComponentResource implements RedisEndpoint {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly password: pulumi.Output<string>;
  /** In-cluster traffic, confined by the NetworkPolicy; no TLS. */
  public readonly tls = false;
  public readonly statefulSet: k8s.apps.v1.StatefulSet;

  constructor(name: string, args: InClusterRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:cache:InClusterRedis', name, {}, opts);
    const size = sizes[args.size];
    const identity = dataStoreIdentity('redis', 'cache', args.environment, name);
    const protect = args.protect ?? false;

    this.password = generatedPassword(`${name}-password`, { parent: this, protect });

    const secret = new k8s.core.v1.Secret(
      `${name}-config`,
      {
        metadata: { name: 'redis-config', namespace: args.namespace, labels: identity.labels },
        type: 'Opaque',
        stringData: {
          'redis-password': this.password,
          'redis.conf': this.password.apply((password) => redisConfig(password, size.maxmemory)),
        },
      },
      { parent: this, provider: args.cluster.provider, protect },
    );

    const store = singleInstanceDataStore(
      name,
      {
        cluster: args.cluster,
        namespace: args.namespace,
        identity,
        port: redisPort,
        protect,
        clients: args.clients ?? [originClient],
        storageGb: args.storageGb ?? size.storageGb,
        runAs: { uid: redisUid, gid: redisGid },
        terminationGracePeriodSeconds: 30,
        // Restart when the settings change: redis reads redis.conf only at start. The hash leaves
        // the password out so that it stays plain (and reveals nothing).
        podAnnotations: {
          'edgeplane.dev/config-hash': createHash('sha256')
            .update(redisConfig('passwordplaceholder', size.maxmemory))
            .digest('hex')
            .slice(0, 16),
        },
        // redis-cli reads the password from REDISCLI_AUTH, never from its arguments.
        readyCommand: ['sh', '-c', 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'],
        container: {
          image: args.image ?? redisImage,
          args: ['redis-server', '/etc/redis/redis.conf'],
          env: [
            {
              name: 'REDISCLI_AUTH',
              valueFrom: {
                secretKeyRef: { name: secret.metadata.name, key: 'redis-password' },
              },
            },
          ],
          resources: {
            requests: { cpu: size.cpu, memory: size.memory },
            limits: { cpu: '1', memory: size.memory },
          },
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            { name: 'config', mountPath: '/etc/redis', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
        volumes: [
          {
            name: 'config',
            secret: {
              secretName: secret.metadata.name,
              items: [{ key: 'redis.conf', path: 'redis.conf' }],
              defaultMode: 0o440,
            },
          },
          { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ],
      },
      this,
    );
    this.statefulSet = store.statefulSet;
    this.host = store.host;
    this.port = pulumi.output(redisPort);
    this.registerOutputs({
      host: this.host,
      port: this.port,
      password: this.password,
      tls: this.tls,
    });
  }
}
