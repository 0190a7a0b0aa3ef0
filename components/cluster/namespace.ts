// A namespace edgeplane owns, on the cluster's explicit provider, with the standard labels, the
// Pod Security Standard it enforces (restricted unless a workload there cannot run so) and a
// default-deny ingress NetworkPolicy (namespace-isolation.ts).
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { standardLabels } from '../labels.ts';
import { isolateNamespace } from './namespace-isolation.ts';
import type { ClusterOutputs } from './types.ts';

type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

export interface ClusterNamespaceArgs {
  cluster: Pick<ClusterOutputs, 'provider'>;
  /** The namespace's name, from components/namespaces.ts. */
  name: string;
  /** Which part of edgeplane lives here (the app.kubernetes.io/name label). */
  component: string;
  environment: string;
  podSecurity?: 'restricted' | 'baseline' | 'privileged';
  /** Flows into the namespace that stay allowed past its default-deny policy. */
  allowIngress?: IngressRule[];
  /** false when the caller writes the namespace's own default-deny and allow policies. */
  defaultDeny?: boolean;
}

export function clusterNamespace(
  resourceName: string,
  args: ClusterNamespaceArgs,
  opts: pulumi.CustomResourceOptions = {},
): k8s.core.v1.Namespace {
  const level = args.podSecurity ?? 'restricted';
  const namespace = new k8s.core.v1.Namespace(
    resourceName,
    {
      metadata: {
        name: args.name,
        labels: {
          ...standardLabels(args.component, args.environment),
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/warn': level,
        },
      },
    },
    { ...opts, provider: args.cluster.provider },
  );
  if (args.defaultDeny === false) return namespace;
  isolateNamespace(
    resourceName,
    {
      namespace: namespace.metadata.name,
      labels: standardLabels(args.component, args.environment),
      ...(args.allowIngress ? { allowIngress: args.allowIngress } : {}),
    },
    { ...opts, provider: args.cluster.provider, dependsOn: [namespace] },
  );
  return namespace;
}
