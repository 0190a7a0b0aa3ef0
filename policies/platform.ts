// Platform policies: Kubernetes workloads, TLS, secrets and stack-wide checks.
import type { Policies } from '@pulumi/policy';
import { k8sLoadBalancerEntryOnly } from './kubernetes/k8s-load-balancer-entry-only.ts';
import { k8sNamespaceNetworkPolicy } from './kubernetes/k8s-namespace-network-policy.ts';
import { k8sPdbAllowsDisruption } from './kubernetes/k8s-pdb-allows-disruption.ts';
import { workloadPolicies } from './kubernetes/k8s-workloads.ts';
import { k8sSecretDataSecret } from './secrets/k8s-secret-data-secret.ts';
import { noPlaintextSecrets } from './secrets/no-plaintext-secrets.ts';
import { noDefaultProvider } from './stack/no-default-provider.ts';
import { ingressTls } from './tls/ingress-tls.ts';
import { redisTls } from './tls/redis-tls.ts';

export const platformPolicies: Policies = [
  ...workloadPolicies,
  k8sPdbAllowsDisruption,
  k8sNamespaceNetworkPolicy,
  k8sLoadBalancerEntryOnly,
  ingressTls,
  redisTls,
  noPlaintextSecrets,
  k8sSecretDataSecret,
  noDefaultProvider,
];
