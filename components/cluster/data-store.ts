// Pieces every in-cluster data store (Postgres, Redis) is built from: the restricted security
// contexts, a NetworkPolicy that lets only the origin in (and nothing out), and a disruption budget.
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { namespaces } from '../namespaces.ts';

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
