// The restrictive security settings every runtime pod runs with; they meet the Pod Security
// Standard "restricted" that the namespace enforces (components/cluster/namespace.ts).
import type * as k8s from '@pulumi/kubernetes';

/** The distroless image's `nonroot` user. */
export const runtimeUid = 65532;

export const podSecurityContext: k8s.types.input.core.v1.PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: runtimeUid,
  runAsGroup: runtimeUid,
  fsGroup: runtimeUid,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const containerSecurityContext: k8s.types.input.core.v1.SecurityContext = {
  runAsNonRoot: true,
  runAsUser: runtimeUid,
  runAsGroup: runtimeUid,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
