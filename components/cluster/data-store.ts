// Pieces every in-cluster data store (Postgres, Redis) is built from: the restricted security
// contexts, a NetworkPolicy that lets only the origin in (and nothing out), a disruption budget,
// a generated password, and the single-instance StatefulSet behind a headless Service.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { standardLabels } from '../labels.ts';
import { namespaces } from '../namespaces.ts';
import type { ClusterOutputs } from './types.ts';

/** Pod-level settings of the restricted Pod Security Standard, for an image whose user is `uid:gid`. */
export function restrictedPodSecurityContext(uid: number, gid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    // Re-owning a large volume on every start is slow; only fix it when the root is wrong.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurityContext() {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** Who may connect to a data store: pods with these labels in that namespace. */
export interface DataStoreClient {
  namespace: string;
  podLabels: Record<string, string>;
}

/** The origin is the only component that talks to Postgres and Redis (the edge never does). */
export const originClient: DataStoreClient = {
  namespace: namespaces.cdn,
  podLabels: { 'app.kubernetes.io/name': 'origin' },
};

export interface DataStorePolicyArgs {
  namespace: pulumi.Input<string>;
  name: string;
  labels: Record<string, string>;
  /** Labels of the data store's pods. */
  selector: Record<string, string>;
  port: number;
  clients: readonly DataStoreClient[];
}

/** Ingress from the clients on the data store's port only; no egress at all (it calls no one). */
export function dataStoreNetworkPolicy(
  resourceName: string,
  args: DataStorePolicyArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    resourceName,
    {
      metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
      spec: {
        podSelector: { matchLabels: args.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: args.clients.map((client) => ({
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': client.namespace },
              },
              podSelector: { matchLabels: client.podLabels },
            })),
            ports: [{ protocol: 'TCP', port: args.port }],
          },
        ],
        egress: [],
      },
    },
    opts,
  );
}

export interface DataStoreBudgetArgs {
  namespace: pulumi.Input<string>;
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /**
   * true: a voluntary eviction (a drain) of the single instance is refused until an operator moves it
   * on purpose. false: drains may evict it (dev clusters that upgrade themselves must not hang).
   */
  blockEviction: boolean;
}

export function dataStoreDisruptionBudget(
  resourceName: string,
  args: DataStoreBudgetArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.policy.v1.PodDisruptionBudget {
  return new k8s.policy.v1.PodDisruptionBudget(
    resourceName,
    {
      metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
      spec: {
        selector: { matchLabels: args.selector },
        maxUnavailable: args.blockEviction ? 0 : 1,
        // A pod that is not running anyway may always be evicted: it must not block a drain.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    },
    opts,
  );
}

/** The object name (also its Service, container and port name), labels and pod selector of one data store. */
export interface DataStoreIdentity {
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
}

/** `app` is the data store's name (`redis`), `component` its role in edgeplane (`cache`). */
export function dataStoreIdentity(
  app: string,
  component: string,
  environment: string,
  instance: string,
): DataStoreIdentity {
  return {
    name: app,
    labels: { ...standardLabels(app, environment), 'app.kubernetes.io/component': component },
    selector: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': instance },
  };
}

/** A 32-character alphanumeric password, generated once and kept secret. */
export function generatedPassword(
  resourceName: string,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const generated = new random.RandomPassword(resourceName, { length: 32, special: false }, opts);
  return pulumi.secret(generated.result);
}

export interface SingleInstanceDataStoreArgs {
  cluster: ClusterOutputs;
  namespace: pulumi.Input<string>;
  identity: DataStoreIdentity;
  port: number;
  /** Protect the StatefulSet, and refuse drains of the instance. */
  protect: boolean;
  clients: readonly DataStoreClient[];
  /** Size of the `data` volume. */
  storageGb: number;
  /** The image's user and group. */
  runAs: { uid: number; gid: number };
  terminationGracePeriodSeconds: number;
  podAnnotations?: Record<string, string>;
  /** Run inside the container; exit 0 when the data store answers queries. */
  readyCommand: string[];
  /** The data store's own part of the container; name, port, security context and probes are added. */
  container: Omit<k8s.types.input.core.v1.Container, 'name'>;
  volumes: k8s.types.input.core.v1.Volume[];
}

export interface SingleInstanceDataStore {
  service: k8s.core.v1.Service;
  statefulSet: k8s.apps.v1.StatefulSet;
  /** The Service's cluster-local DNS name. */
  host: pulumi.Output<string>;
}

/**
 * One instance of a data store: a headless Service, a hardened, probed StatefulSet of one replica
 * whose `data` volume claim outlives it, a disruption budget and a NetworkPolicy, all named
 * `${name}-<what>` and parented to `parent` on the cluster's provider.
 */
export function singleInstanceDataStore(
  name: string,
  args: SingleInstanceDataStoreArgs,
  parent: pulumi.Resource,
): SingleInstanceDataStore {
  const { name: objectName, labels, selector } = args.identity;
  const k8sOpts = () => ({ parent, provider: args.cluster.provider });

  const service = new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: { name: objectName, namespace: args.namespace, labels },
      spec: {
        // Headless: the StatefulSet's stable DNS name, resolving to the ready instance only.
        clusterIP: 'None',
        selector,
        ports: [{ name: objectName, port: args.port, targetPort: objectName, protocol: 'TCP' }],
      },
    },
    k8sOpts(),
  );

  const statefulSet = new k8s.apps.v1.StatefulSet(
    `${name}-statefulset`,
    {
      metadata: { name: objectName, namespace: args.namespace, labels },
      spec: {
        serviceName: service.metadata.name,
        replicas: 1,
        selector: { matchLabels: selector },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: {
            labels: { ...labels, ...selector },
            ...(args.podAnnotations === undefined ? {} : { annotations: args.podAnnotations }),
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
            securityContext: restrictedPodSecurityContext(args.runAs.uid, args.runAs.gid),
            containers: [
              {
                name: objectName,
                ...args.container,
                ports: [{ name: objectName, containerPort: args.port, protocol: 'TCP' }],
                securityContext: restrictedContainerSecurityContext(),
                // A long recovery at start (a large AOF or WAL to replay) is not ready yet: give it time.
                startupProbe: {
                  exec: { command: args.readyCommand },
                  periodSeconds: 5,
                  failureThreshold: 60,
                },
                readinessProbe: {
                  exec: { command: args.readyCommand },
                  periodSeconds: 10,
                  timeoutSeconds: 5,
                },
                livenessProbe: {
                  tcpSocket: { port: objectName },
                  periodSeconds: 20,
                  timeoutSeconds: 5,
                  failureThreshold: 6,
                },
              },
            ],
            volumes: args.volumes,
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: args.cluster.storageClassName,
              resources: { requests: { storage: `${args.storageGb}Gi` } },
            },
          },
        ],
      },
    },
    { ...k8sOpts(), protect: args.protect },
  );

  dataStoreDisruptionBudget(
    `${name}-pdb`,
    { namespace: args.namespace, name: objectName, labels, selector, blockEviction: args.protect },
    k8sOpts(),
  );
  dataStoreNetworkPolicy(
    `${name}-network-policy`,
    {
      namespace: args.namespace,
      name: objectName,
      labels,
      selector,
      port: args.port,
      clients: args.clients,
    },
    k8sOpts(),
  );

  const host = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
  return { service, statefulSet, host };
}
