// What every region of a gcp stack runs before the CDN: a GKE cluster on the region's provider, its
// static ingress address with Traefik, monitoring, cert-manager (and external-dns when asked).
import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { GkeCluster } from '../../components/cluster/gke.ts';
import {
  gkeIngress,
  ingressAddress,
  traefikIngress,
} from '../../components/cluster/gke-ingress.ts';
import { ExternalDns } from '../../components/dns/external-dns.ts';
import { Monitoring } from '../../components/monitoring/index.ts';
import type { GcpNetwork } from '../../components/network/gcp-network.ts';
import { CertManager } from '../../components/tls/cert-manager.ts';
import { dns01ForStack } from '../../components/tls/dns01.ts';
import type { StackConfig } from '../config.ts';
import type { GcpSettings } from './config-schema.ts';
import { workloadIdentityAnnotation } from './identity.ts';

export interface RegionPlatformArgs {
  config: StackConfig;
  settings: GcpSettings;
  region: string;
  gcpProvider: gcp.Provider;
  network: GcpNetwork;
  /** The Google service account that edits Cloud DNS (clouddns stacks only). */
  dnsIdentity?: { email: string; ready: pulumi.Resource[] };
  parent: pulumi.Resource;
}

export interface RegionPlatform {
  cluster: GkeCluster;
  monitoring: Monitoring;
  tls: CertManager;
  /** The static address the region's ingress answers on. */
  address: pulumi.Output<string>;
}

export function regionPlatform(args: RegionPlatformArgs): RegionPlatform {
  const { config, settings, region, gcpProvider, dnsIdentity } = args;
  const { project } = settings;
  const environment = config.environment;
  const parent = { parent: args.parent };
  const subnet = args.network.subnets[region];
  if (!subnet) throw new Error(`no subnetwork for ${region}`);

  const address = ingressAddress(
    `ingress-${region}`,
    { project, region, gcpProvider, environment },
    parent,
  );
  const cluster = new GkeCluster(
    `cluster-${region}`,
    {
      project,
      region,
      gcpProvider,
      network: args.network.network.id,
      subnet,
      version: config.cluster.version,
      releaseChannel: settings.releaseChannel,
      masterAuthorizedNetworks: settings.masterAuthorizedNetworks,
      privateEndpoint: settings.privateEndpoint,
      nodeSize: config.cluster.nodeSize as string,
      minNodes: config.cluster.minNodes,
      maxNodes: config.cluster.maxNodes,
      environment,
      ingressClassName: gkeIngress.className,
    },
    parent,
  );
  const monitoring = new Monitoring(
    `monitoring-${region}`,
    {
      cluster,
      environment,
      domain: config.domain,
      retentionDays: config.monitoring.retentionDays,
      slackWebhookUrl: config.monitoring.slackWebhookUrl,
      pagerdutyRoutingKey: config.monitoring.pagerdutyRoutingKey,
      // GKE runs the control plane: etcd, the scheduler and the controller manager are not pods.
      scrapeControlPlane: false,
    },
    parent,
  );
  traefikIngress(
    `ingress-${region}`,
    {
      project,
      region,
      gcpProvider,
      cluster,
      environment,
      address: address.address,
      monitoring: monitoring.outputs(),
    },
    parent,
  );
  const tls = new CertManager(
    `tls-${region}`,
    {
      cluster,
      environment,
      issuer: config.tls.issuer,
      acmeEmail: config.tls.email,
      dns01: dns01ForStack(config.dns, { gcpProject: project }),
      serviceAccountAnnotations: dnsIdentity
        ? { [workloadIdentityAnnotation]: dnsIdentity.email }
        : undefined,
      highlyAvailable: environment === 'prod',
      monitoring: monitoring.outputs(),
    },
    { ...parent, dependsOn: dnsIdentity?.ready ?? [] },
  );

  if (config.dns.externalDns) {
    new ExternalDns(
      `external-dns-${region}`,
      {
        cluster,
        environment,
        zone: config.dns.zone,
        ownerId: `edgeplane-${config.stack}-${region}`,
        provider:
          config.dns.provider === 'cloudflare'
            ? {
                name: 'cloudflare',
                apiToken: config.dns.cloudflareApiToken as pulumi.Output<string>,
              }
            : {
                name: 'google',
                project,
                serviceAccountAnnotations: {
                  [workloadIdentityAnnotation]: dnsIdentity?.email ?? '',
                },
              },
      },
      { ...parent, dependsOn: dnsIdentity?.ready ?? [] },
    );
  }

  return { cluster, monitoring, tls, address: address.address };
}
