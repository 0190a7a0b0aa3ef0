// The per-container workload policies: each checks every container of every pod template
// (the workload types of policies/lib/pods.ts).
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { k8sNoHostPath } from './k8s-no-host-path.ts';
import { k8sNoPrivileged } from './k8s-no-privileged.ts';
import { k8sProbes } from './k8s-probes.ts';
import { k8sReadOnlyRootFilesystem } from './k8s-read-only-root-filesystem.ts';
import { k8sResourceLimits } from './k8s-resource-limits.ts';
import { k8sRunAsNonRoot } from './k8s-run-as-non-root.ts';

export const workloadPolicies: ResourceValidationPolicy[] = [
  k8sResourceLimits,
  k8sProbes,
  k8sRunAsNonRoot,
  k8sReadOnlyRootFilesystem,
  k8sNoPrivileged,
  k8sNoHostPath,
];
