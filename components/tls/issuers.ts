// cert-manager ClusterIssuer and Certificate specs: Let's Encrypt (production and staging) with a
// DNS-01 solver for the stack's DNS provider, and a local CA (self-signed root, then a CA issuer).
import type * as pulumi from '@pulumi/pulumi';

export const letsEncryptServers = {
  letsencrypt: 'https://acme-v02.api.letsencrypt.org/directory',
  'letsencrypt-staging': 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

export type AcmeIssuer = keyof typeof letsEncryptServers;
export type TlsIssuer = AcmeIssuer | 'local-ca';

/** Name of the ClusterIssuer for each `tls.issuer` choice. */
export function clusterIssuerName(issuer: TlsIssuer): string {
  return `edgeplane-${issuer}`;
}

export const selfSignedIssuerName = 'edgeplane-selfsigned';
export const localCaSecretName = 'edgeplane-ca';
/** Where cert-manager reads ClusterIssuer secrets: its own namespace (the chart's default). */
export const cloudflareTokenSecret = { name: 'cloudflare-api-token', key: 'api-token' } as const;

/** How cert-manager proves control of the zone, per DNS provider. */
export type Dns01Provider =
  /** Credentials are ambient: IRSA on the cert-manager ServiceAccount, or the node role. */
  | { provider: 'route53'; region: string; hostedZoneId?: pulumi.Input<string> }
  /** Credentials are ambient: Workload Identity on the cert-manager ServiceAccount. */
  | { provider: 'clouddns'; project: pulumi.Input<string> }
  /** The API token is put into a Secret in cert-manager's namespace. */
  | { provider: 'cloudflare'; apiToken: pulumi.Input<string> };

export function dns01Solver(dns: Dns01Provider, zone: string): Record<string, unknown> {
  const selector = { dnsZones: [zone] };
  switch (dns.provider) {
    case 'route53':
      return {
        selector,
        dns01: {
          route53: {
            region: dns.region,
            ...(dns.hostedZoneId === undefined ? {} : { hostedZoneID: dns.hostedZoneId }),
          },
        },
      };
    case 'clouddns':
      return { selector, dns01: { cloudDNS: { project: dns.project } } };
    case 'cloudflare':
      return {
        selector,
        dns01: {
          cloudflare: {
            apiTokenSecretRef: { name: cloudflareTokenSecret.name, key: cloudflareTokenSecret.key },
          },
        },
      };
  }
}

export function acmeIssuerSpec(
  issuer: AcmeIssuer,
  email: string,
  solver: Record<string, unknown>,
): Record<string, unknown> {
  return {
    acme: {
      server: letsEncryptServers[issuer],
      email,
      privateKeySecretRef: { name: `${clusterIssuerName(issuer)}-account-key` },
      solvers: [solver],
    },
  };
}

/** The local CA's root certificate, signed by the self-signed issuer and kept in cert-manager's namespace. */
export function localCaCertificateSpec(commonName: string): Record<string, unknown> {
  return {
    isCA: true,
    commonName,
    secretName: localCaSecretName,
    duration: '87600h',
    renewBefore: '720h',
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    issuerRef: { name: selfSignedIssuerName, kind: 'ClusterIssuer', group: 'cert-manager.io' },
  };
}
