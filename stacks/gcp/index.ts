// The gcp composition. One VPC; per region an explicit GCP provider, a private GKE cluster with
// Traefik on a static IP, monitoring, cert-manager (DNS-01 through Cloud DNS with Workload Identity,
// or Cloudflare) and the CDN. The first region is home: Cloud SQL, Memorystore and the origin run
// there; every other region runs edges that follow the home origin over TLS. DNS answers each client
// with its nearest region (Cloud DNS geo routing, or Cloudflare).
import * as pulumi from '@pulumi/pulumi';
import { Cdn } from '../../components/cdn/index.ts';
import { gkeIngress } from '../../components/cluster/gke-ingress.ts';
import {
  externalDnsNamespace,
  externalDnsServiceAccount,
} from '../../components/dns/external-dns.ts';
import { namespaces } from '../../components/namespaces.ts';
import { GcpNetwork } from '../../components/network/gcp-network.ts';
import type { StackConfig } from '../config.ts';
import { EdgeplaneStack, type StackOutputs } from '../edgeplane-stack.ts';
import { homeDataStores } from './data-stores.ts';
import { edgeDns } from './dns.ts';
import { dnsEditor } from './identity.ts';
import { regionProviders } from './providers.ts';
import { regionPlatform } from './region-platform.ts';

/** cert-manager's ServiceAccount (the chart names it after the release). */
const certManagerServiceAccount = `${namespaces.certManager}/cert-manager`;

export function deploy(config: StackConfig): StackOutputs {
  const { gcp: settings } = config;
  if (!settings) {
    throw new Error('edgeplane:gcp is required on cloud gcp (the config check enforces it)');
  }
  if (config.dns.provider === 'route53') {
    throw new Error('dns.provider route53 is not available on gcp (the config check enforces it)');
  }
  const { project } = settings;
  const stack = new EdgeplaneStack(config.stack, { config });
  const parent = { parent: stack };

  const providers = regionProviders(project, config.regions, config.environment, parent);
  const providerOf = (region: string) => providers[region] as (typeof providers)[string];
  const homeProvider = providerOf(config.homeRegion);

  const network = new GcpNetwork(
    'network',
    {
      project,
      environment: config.environment,
      regions: config.regions.map((name) => ({ name, provider: providerOf(name) })),
    },
    parent,
  );
  const dnsIdentity =
    config.dns.provider === 'clouddns'
      ? dnsEditor(
          'dns-editor',
          {
            project,
            environment: config.environment,
            gcpProvider: homeProvider,
            kubernetesServiceAccounts: [
              certManagerServiceAccount,
              ...(config.dns.externalDns
                ? [`${externalDnsNamespace}/${externalDnsServiceAccount}`]
                : []),
            ],
          },
          parent,
        )
      : undefined;

  const platforms = config.regions.map((region) => ({
    region,
    ...regionPlatform({
      config,
      settings,
      region,
      gcpProvider: providerOf(region),
      network,
      dnsIdentity,
      parent: stack,
    }),
  }));
  const cdnArgs = (platform: (typeof platforms)[number]) => ({
    cluster: platform.cluster,
    tls: platform.tls,
    monitoring: platform.monitoring.outputs(),
    runtime: config.runtime,
    domain: config.domain,
    environment: config.environment,
    ingressControllerNamespace: gkeIngress.namespace,
  });

  const [home, ...others] = platforms;
  if (!home) throw new Error('a gcp stack needs a home region (the config check enforces it)');
  const stores = homeDataStores({
    config,
    project,
    region: home.region,
    gcpProvider: homeProvider,
    network,
    parent: stack,
  });
  const homeCdn = new Cdn(
    home.region,
    {
      ...cdnArgs(home),
      region: { role: 'home', ...stores },
      dataStoreCidrs: [network.privateServicesCidr],
    },
    parent,
  );
  const { homeOrigin } = homeCdn;
  const { api, dashboard, edge } = homeCdn.hostnames;
  if (!homeOrigin || !api || !dashboard) throw new Error('the home Cdn has no origin');
  for (const platform of others) {
    new Cdn(
      platform.region,
      { ...cdnArgs(platform), region: { role: 'edge-only', homeOrigin } },
      parent,
    );
  }

  const dns = edgeDns({
    config,
    project,
    gcpProvider: homeProvider,
    hostnames: { edge, api, dashboard },
    addresses: platforms.map(({ region, address }) => ({ region, address })),
    parent: stack,
  });

  const byRegion = <T>(pick: (platform: (typeof platforms)[number]) => T) =>
    Object.fromEntries(platforms.map((platform) => [platform.region, pick(platform)]));
  return {
    ...stack.outputs(),
    gcpProject: project,
    edgeHostname: edge,
    apiUrl: `https://${api}`,
    dashboardUrl: `https://${dashboard}`,
    ingressAddresses: byRegion((platform) => platform.address),
    nameServers: 'nameServers' in dns ? dns.nameServers : undefined,
    kubeconfigs: pulumi.secret(byRegion((platform) => platform.cluster.kubeconfig)),
    grafanaAdminPasswords: pulumi.secret(
      byRegion((platform) => platform.monitoring.grafanaAdminPassword),
    ),
  };
}
