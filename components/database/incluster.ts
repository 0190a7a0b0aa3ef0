// Postgres inside the cluster (k3s, dev): one StatefulSet instance on a PersistentVolumeClaim, its
// password generated and kept secret into a Kubernetes Secret, restricted security context, probes,
// requests and limits, a disruption budget, and a NetworkPolicy that lets only the origin in.
// StatefulSets rather than an operator: no CRDs to install first, and the plan stays inspectable.
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
import type { PostgresEndpoint } from './types.ts';

export type PostgresSize = 'small' | 'medium' | 'large' | 'xlarge';

/** Official images (Debian, user postgres = 999:999), pinned per major version. */
export const postgresImages: Record<string, string> = {
  '15': 'postgres:15.14-bookworm',
  '16': 'postgres:16.10-bookworm',
  '17': 'postgres:17.6-bookworm',
  '18': 'postgres:18.0-bookworm',
};

const sizes: Record<
  PostgresSize,
  { cpu: string; cpuLimit: string; memory: string; sharedBuffers: string }
> = {
  small: { cpu: '250m', cpuLimit: '1', memory: '512Mi', sharedBuffers: '128MB' },
  medium: { cpu: '500m', cpuLimit: '2', memory: '1Gi', sharedBuffers: '256MB' },
  large: { cpu: '1', cpuLimit: '4', memory: '4Gi', sharedBuffers: '1GB' },
  xlarge: { cpu: '2', cpuLimit: '8', memory: '8Gi', sharedBuffers: '2GB' },
};

export const postgresPort = 5432;
const postgresUid = 999;

export interface InClusterPostgresArgs {
  cluster: ClusterOutputs;
  /** Namespace to run in (namespaces.data); it must exist. */
  namespace: pulumi.Input<string>;
  environment: string;
  /** PostgreSQL major version (`database.version`): 15 to 18. */
  version: string;
  /** `database.size`: CPU, memory and shared_buffers. */
  size: PostgresSize;
  /** `database.storageGb`: size of the data volume. */
  storageGb: number;
  /** `database.protect`: protect the StatefulSet and Secret, and refuse drains of the instance. */
  protect?: boolean;
  database?: string;
  user?: string;
  /** Overrides the pinned image (e.g. a mirror); it must run as 999:999 like the official one. */
  image?: string;
  /** Who may connect; default: the origin. */
  clients?: readonly DataStoreClient[];
}

export class InClusterPostgres extends pulumi.ComponentResource implements PostgresEndpoint {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly database: pulumi.Output<string>;
  public readonly user: pulumi.Output<string>;
  public readonly password: pulumi.Output<string>;
  /** In-cluster traffic, confined by the NetworkPolicy; no TLS between origin and this instance. */
  public readonly sslMode = 'disable' as const;
  public readonly statefulSet: k8s.apps.v1.StatefulSet;

  constructor(name: string, args: InClusterPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:database:InClusterPostgres', name, {}, opts);
    const image = args.image ?? postgresImages[args.version];
    if (!image) {
      throw new Error(
        `${name}: no Postgres image for version ${args.version} (have ${Object.keys(postgresImages).join(', ')})`,
      );
    }
    const size = sizes[args.size];
    const database = args.database ?? 'edgeplane';
    const user = args.user ?? 'edgeplane';
    const identity = dataStoreIdentity('postgres', 'database', args.environment, name);
    const protect = args.protect ?? false;

    this.password = generatedPassword(`${name}-password`, { parent: this, protect });

    const secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: {
          name: 'postgres-credentials',
          namespace: args.namespace,
          labels: identity.labels,
        },
        type: 'Opaque',
        stringData: { 'postgres-password': this.password },
      },
      { parent: this, provider: args.cluster.provider, protect },
    );

    const dataPath = '/var/lib/postgresql';
    const store = singleInstanceDataStore(
      name,
      {
        cluster: args.cluster,
        namespace: args.namespace,
        identity,
        port: postgresPort,
        protect,
        clients: args.clients ?? [originClient],
        storageGb: args.storageGb,
        runAs: { uid: postgresUid, gid: postgresUid },
        terminationGracePeriodSeconds: 60,
        readyCommand: [
          'pg_isready',
          '-h',
          '127.0.0.1',
          '-p',
          String(postgresPort),
          '-U',
          user,
          '-d',
          database,
        ],
        container: {
          image,
          args: [
            'postgres',
            '-c',
            `shared_buffers=${size.sharedBuffers}`,
            '-c',
            'max_connections=100',
          ],
          env: [
            { name: 'POSTGRES_DB', value: database },
            { name: 'POSTGRES_USER', value: user },
            {
              name: 'POSTGRES_PASSWORD',
              valueFrom: {
                secretKeyRef: { name: secret.metadata.name, key: 'postgres-password' },
              },
            },
            {
              name: 'POSTGRES_INITDB_ARGS',
              value: '--auth-host=scram-sha-256 --data-checksums',
            },
            // The layout of the official image from 18 on, used for every version: upgrades
            // with pg_upgrade --link can keep both versions on the one volume.
            { name: 'PGDATA', value: `${dataPath}/${args.version}/docker` },
          ],
          resources: {
            requests: { cpu: size.cpu, memory: size.memory },
            limits: { cpu: size.cpuLimit, memory: size.memory },
          },
          volumeMounts: [
            { name: 'data', mountPath: dataPath },
            { name: 'run', mountPath: '/var/run/postgresql' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
        volumes: [
          { name: 'run', emptyDir: { sizeLimit: '16Mi' } },
          { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
        ],
      },
      this,
    );
    this.statefulSet = store.statefulSet;
    this.host = store.host;
    this.port = pulumi.output(postgresPort);
    this.database = pulumi.output(database);
    this.user = pulumi.output(user);
    this.registerOutputs({
      host: this.host,
      port: this.port,
      database: this.database,
      user: this.user,
      password: this.password,
      sslMode: this.sslMode,
    });
  }
}
