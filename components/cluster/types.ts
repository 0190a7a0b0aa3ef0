import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** What every cluster component (eks.ts, gke.ts, k3s.ts) hands to the platform layer. */
export interface ClusterOutputs {
  name: pulumi.Output<string>;
  /** The region this cluster runs in (the stack's region name). */
  region: string;
  /** Explicit provider for every Kubernetes resource on this cluster; nothing uses the default one. */
  provider: k8s.Provider;
  /** Kubeconfig, always a secret Output. */
  kubeconfig: pulumi.Output<string>;
  /** StorageClass for persistent volumes (k3s: local-path, EKS: gp3, GKE: standard-rwo). */
  storageClassName: string;
  /** IngressClass the CDN's Ingress uses (k3s ships traefik). */
  ingressClassName: string;
}
