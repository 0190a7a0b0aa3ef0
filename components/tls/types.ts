import type * as pulumi from '@pulumi/pulumi';

/** What the TLS component hands to workloads that need certificates. */
export interface TlsOutputs {
  /** The cert-manager ClusterIssuer that signs the CDN's certificates. */
  clusterIssuerName: string;
  /** Resources a Certificate or an Ingress must depend on (CRDs and the issuer). */
  ready: pulumi.Resource[];
}
