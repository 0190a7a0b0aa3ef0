// One runtime role as Kubernetes runs it: ServiceAccount, Deployment, Service and a
// PodDisruptionBudget that always allows a voluntary disruption (node drains never block).
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { RuntimeRole } from '../../runtime/contract.ts';
import { ports } from '../../runtime/contract.ts';
import { portNames } from './container.ts';
import { podSecurityContext } from './security.ts';

export interface RuntimeWorkloadArgs {
  /** Prefix of the Pulumi names (the Cdn's name), so several regions fit in one stack. */
  resourcePrefix: string;
  role: RuntimeRole;
  namespace: pulumi.Input<string>;
  /** Labels of every object of the role (standard labels plus the selector). */
  labels: Record<string, string>;
  /** Stable labels the Service, PDB and topology spread select pods by. */
  selector: Record<string, string>;
  /** Undefined when a HorizontalPodAutoscaler owns the replica count. */
  replicas?: number;
  container: k8s.types.input.core.v1.Container;
  volumes: k8s.types.input.core.v1.Volume[];
  /** Pod template annotations, e.g. the credentials checksum that rolls pods on a change. */
  podAnnotations: Record<string, pulumi.Input<string>>;
}

export interface RuntimeWorkload {
  serviceAccount: k8s.core.v1.ServiceAccount;
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service;
  disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
}

export function runtimeWorkload(
  name: string,
  args: RuntimeWorkloadArgs,
  opts: pulumi.CustomResourceOptions,
): RuntimeWorkload {
  const metadata = { name, namespace: args.namespace, labels: args.labels };
  const resourceName = `${args.resourcePrefix}-${name}`;
  // The runtime never calls the Kubernetes API: its own account, with no token mounted.
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    resourceName,
    { metadata, automountServiceAccountToken: false },
    opts,
  );
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: args.selector },
    matchLabelKeys: ['pod-template-hash'],
  });
  const deployment = new k8s.apps.v1.Deployment(
    resourceName,
    {
      metadata,
      spec: {
        replicas: args.replicas,
        selector: { matchLabels: args.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: args.labels, annotations: args.podAnnotations },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            terminationGracePeriodSeconds: 30,
            topologySpreadConstraints: [
              spread('topology.kubernetes.io/zone'),
              spread('kubernetes.io/hostname'),
            ],
            containers: [
              {
                ...args.container,
                // Lets endpoints drain from Services and the ingress before the process stops.
                lifecycle: { preStop: { sleep: { seconds: 5 } } },
              },
            ],
            volumes: args.volumes,
          },
        },
      },
    },
    opts,
  );
  const service = new k8s.core.v1.Service(
    resourceName,
    {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: args.selector,
        ports: [
          {
            name: portNames.traffic,
            port: ports.traffic,
            targetPort: portNames.traffic,
            protocol: 'TCP',
          },
          {
            name: portNames.management,
            port: ports.management,
            targetPort: portNames.management,
            protocol: 'TCP',
          },
        ],
      },
    },
    opts,
  );
  const disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
    resourceName,
    {
      metadata,
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: args.selector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    },
    opts,
  );
  return { serviceAccount, deployment, service, disruptionBudget };
}
