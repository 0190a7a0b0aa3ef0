// The DNS-01 solver for the stack's `dns` config. Route53 and Cloud DNS credentials are ambient
// (IRSA / Workload Identity on cert-manager's ServiceAccount), so only where the zone lives is needed.
import type * as pulumi from '@pulumi/pulumi';
import type { Dns01Provider } from './issuers.ts';

export interface StackDns {
  provider: 'route53' | 'clouddns' | 'cloudflare';
  zone: string;
  cloudflareApiToken?: pulumi.Output<string>;
}

export interface Dns01Location {
  /** Route53: the AWS region cert-manager calls (the stack's home region). */
  awsRegion?: string;
  /** Route53: the hosted zone, when cert-manager should not look it up by name. */
  hostedZoneId?: pulumi.Input<string>;
  /** Cloud DNS: the GCP project that holds the zone. */
  gcpProject?: pulumi.Input<string>;
}

/** `CertManagerArgs.dns01` for the stack's DNS provider; throws naming what is missing. */
export function dns01ForStack(
  dns: StackDns,
  location: Dns01Location = {},
): Dns01Provider & { zone: string } {
  switch (dns.provider) {
    case 'route53':
      if (!location.awsRegion) throw new Error('dns01 over route53 needs awsRegion');
      return {
        provider: 'route53',
        region: location.awsRegion,
        hostedZoneId: location.hostedZoneId,
        zone: dns.zone,
      };
    case 'clouddns':
      if (!location.gcpProject) throw new Error('dns01 over clouddns needs gcpProject');
      return { provider: 'clouddns', project: location.gcpProject, zone: dns.zone };
    case 'cloudflare':
      if (!dns.cloudflareApiToken) {
        throw new Error('dns01 over cloudflare needs the cloudflareApiToken secret');
      }
      return { provider: 'cloudflare', apiToken: dns.cloudflareApiToken, zone: dns.zone };
  }
}
