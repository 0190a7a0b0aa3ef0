// Platform policies: Kubernetes workloads, TLS, secrets and stack-wide checks.
import type { Policies } from '@pulumi/policy';
import { k8sLoadBalancerEntryOnly } from './kubernetes/k8s-load-balancer-entry-only.ts';
import { k8sNamespaceNetworkPolicy } from './kubernetes/k8s-namespace-network-policy.ts';
import { k8sNoHostPath } from './kubernetes/k8s-no-host-path.ts';
import { k8sNoPrivileged } from './kubernetes/k8s-no-privileged.ts';
import { k8sPdbAllowsDisruption } from './kubernetes/k8s-pdb-allows-disruption.ts';
import { k8sProbes } from './kubernetes/k8s-probes.ts';
import { k8sReadOnlyRootFilesystem } from './kubernetes/k8s-read-only-root-filesystem.ts';
import { k8sResourceLimits } from './kubernetes/k8s-resource-limits.ts';
import { k8sRunAsNonRoot } from './kubernetes/k8s-run-as-non-root.ts';
import { k8sSecretDataSecret } from './secrets/k8s-secret-data-secret.ts';
import { noPlaintextSecrets } from './secrets/no-plaintext-secrets.ts';
import { noDefaultProvider } from './stack/no-default-provider.ts';
import { ingressTls } from './tls/ingress-tls.ts';
import { redisTls } from './tls/redis-tls.ts';

export const platformPolicies: Policies = [
  k8sResourceLimits,
  k8sProbes,
  k8sRunAsNonRoot,
  k8sReadOnlyRootFilesystem,
  k8sNoPrivileged,
  k8sNoHostPath,
  k8sPdbAllowsDisruption,
  k8sNamespaceNetworkPolicy,
  k8sLoadBalancerEntryOnly,
  ingressTls,
  redisTls,
  noPlaintextSecrets,
  k8sSecretDataSecret,
  noDefaultProvider,
];
