// The CDN's public names for a gcp stack: Cloud DNS with a geo routing policy, or Cloudflare
// (per-region records, or geo-steered load balancing), over every region's ingress address.
import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { CloudDnsRecords } from '../../components/dns/clouddns.ts';
import { CloudflareDns } from '../../components/dns/cloudflare.ts';
import type { StackConfig } from '../config.ts';

export interface EdgeDnsArgs {
  config: StackConfig;
  project: string;
  /** The home region's provider: Cloud DNS and its health checks are global. */
  gcpProvider: gcp.Provider;
  hostnames: { edge: string; api: string; dashboard: string };
  /** Every region's ingress address, home first. */
  addresses: { region: string; address: pulumi.Output<string> }[];
  parent: pulumi.Resource;
}

export function edgeDns(args: EdgeDnsArgs): CloudDnsRecords | CloudflareDns {
  const { config, addresses } = args;
  const [home] = addresses;
  if (!home) throw new Error('DNS needs at least the home region');
  const targets = { hostnames: args.hostnames, home, edges: addresses };
  if (config.dns.provider === 'clouddns') {
    return new CloudDnsRecords(
      'dns',
      {
        project: args.project,
        gcpProvider: args.gcpProvider,
        zone: config.dns.zone,
        createZone: config.dns.createZone,
        ...targets,
      },
      { parent: args.parent },
    );
  }
  if (!config.dns.cloudflareApiToken) {
    throw new Error('dns.provider cloudflare needs the cloudflareApiToken secret');
  }
  return new CloudflareDns(
    'dns',
    {
      apiToken: config.dns.cloudflareApiToken,
      zone: config.dns.zone,
      createZone: config.dns.createZone,
      accountId: config.dns.cloudflare?.accountId,
      loadBalancing: config.dns.cloudflare?.loadBalancing ?? false,
      ...targets,
    },
    { parent: args.parent },
  );
}
