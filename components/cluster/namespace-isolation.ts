// Default-deny ingress for a namespace edgeplane creates: a NetworkPolicy selecting every pod with
// no ingress rule, plus one policy holding the flows the namespace's workloads need (webhook calls
// from the API server, scrapes, OTLP). Egress stays open: the charts here reach the API server,
// ACME and cloud APIs at addresses no NetworkPolicy can name ahead of time.
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

export interface NamespaceIsolationArgs {
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  /** Flows into the namespace's pods that stay allowed; none: nothing gets in. */
  allowIngress?: IngressRule[];
}

/** Peers in the named namespace (the label Kubernetes sets on every namespace). */
export const fromNamespace = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});

/** Any peer in the same namespace. */
export const fromSameNamespace = { podSelector: {} };

export const tcpPorts = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));

export function isolateNamespace(
  resourceName: string,
  args: NamespaceIsolationArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  const metadata = (name: string) => ({ name, namespace: args.namespace, labels: args.labels });
  const policies = [
    new k8s.networking.v1.NetworkPolicy(
      `${resourceName}-default-deny`,
      {
        metadata: metadata('default-deny-ingress'),
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
      opts,
    ),
  ];
  if (args.allowIngress?.length) {
    policies.push(
      new k8s.networking.v1.NetworkPolicy(
        `${resourceName}-allow-ingress`,
        {
          metadata: metadata('allow-ingress'),
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: args.allowIngress },
        },
        opts,
      ),
    );
  }
  return policies;
}
