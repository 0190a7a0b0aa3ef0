// The gcp composition. One VPC; per region an explicit GCP provider, a private GKE cluster with
// Traefik on a static IP, monitoring, cert-manager (DNS-01 through Cloud DNS with Workload Identity,
// or Cloudflare) and the CDN. The first region is home: Cloud SQL, Memorystore and the origin run
// there; every other region runs edges that follow the home origin over TLS. DNS answers each client
// with its nearest region (Cloud DNS geo routing, or Cloudflare).
import * as pulumi from '@pulumi/pulumi';
import { MemorystoreRedis } from '../../components/cache/memorystore.ts';
import { Cdn, type CdnOutputs } from '../../components/cdn/index.ts';
import { GkeCluster } from '../../components/cluster/gke.ts';
import {
  gkeIngress,
  ingressAddress,
  traefikIngress,
} from '../../components/cluster/gke-ingress.ts';
import { CloudSqlPostgres } from '../../components/database/cloudsql.ts';
import { CloudDnsRecords } from '../../components/dns/clouddns.ts';
import { CloudflareDns } from '../../components/dns/cloudflare.ts';
import {
  ExternalDns,
  externalDnsNamespace,
  externalDnsServiceAccount,
} from '../../components/dns/external-dns.ts';
import { Monitoring } from '../../components/monitoring/index.ts';
import { namespaces } from '../../components/namespaces.ts';
import { GcpNetwork } from '../../components/network/gcp-network.ts';
import { CertManager } from '../../components/tls/cert-manager.ts';
import { dns01ForStack } from '../../components/tls/dns01.ts';
import type { StackConfig } from '../config.ts';
import { EdgeplaneStack, type StackOutputs } from '../edgeplane-stack.ts';
import { dnsEditor, workloadIdentityAnnotation } from './identity.ts';
import { regionProviders } from './providers.ts';

/** cert-manager's ServiceAccount (the chart names it after the release). */
const certManagerServiceAccount = `${namespaces.certManager}/cert-manager`;

export function deploy(config: StackConfig): StackOutputs {
  const { gcp: settings } = config;
  if (!settings)
    throw new Error('edgeplane:gcp is required on cloud gcp (the config check enforces it)');
  if (config.dns.provider === 'route53') {
    throw new Error('dns.provider route53 is not available on gcp (the config check enforces it)');
  }
  const { project } = settings;
  const stack = new EdgeplaneStack(config.stack, { config });
  const parent = { parent: stack };
  const environment = config.environment;

  const providers = regionProviders(project, config.regions, environment, parent);
  const providerOf = (region: string) => providers[region] as (typeof providers)[string];
  const homeProvider = providerOf(config.homeRegion);

  const network = new GcpNetwork(
    'network',
    {
      project,
      environment,
      regions: config.regions.map((name) => ({ name, provider: providerOf(name) })),
    },
    parent,
  );

  const cloudDns = config.dns.provider === 'clouddns';
  const dnsIdentity = cloudDns
    ? dnsEditor(
        'dns-editor',
        {
          project,
          environment,
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

  let homeCdn: Cdn | undefined;
  const kubeconfigs: Record<string, pulumi.Output<string>> = {};
  const grafanaAdminPasswords: Record<string, pulumi.Output<string>> = {};
  const addresses: Record<string, pulumi.Output<string>> = {};

  for (const region of config.regions) {
    const isHome = region === config.homeRegion;
    const gcpProvider = providerOf(region);
    const subnet = network.subnets[region];
    if (!subnet) throw new Error(`no subnetwork for ${region}`);

    const address = ingressAddress(
      `ingress-${region}`,
      { project, region, gcpProvider, environment },
      parent,
    );
    addresses[region] = address.address;
    const cluster = new GkeCluster(
      `cluster-${region}`,
      {
        project,
        region,
        gcpProvider,
        network: network.network.id,
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
    kubeconfigs[region] = cluster.kubeconfig;

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
    grafanaAdminPasswords[region] = monitoring.grafanaAdminPassword;
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
        parent,
      );
    }

    const common = {
      cluster,
      tls,
      monitoring: monitoring.outputs(),
      runtime: config.runtime,
      domain: config.domain,
      environment,
      ingressControllerNamespace: gkeIngress.namespace,
    };
    if (isHome) {
      const postgres = new CloudSqlPostgres(
        'database',
        {
          project,
          region,
          gcpProvider,
          network: network.network.id,
          privateServices: network.privateServices,
          environment,
          version: config.database.version,
          size: config.database.size,
          storageGb: config.database.storageGb,
          backupRetentionDays: config.database.backupRetentionDays,
          highlyAvailable: config.database.multiAz,
          deletionProtection: config.database.deletionProtection,
          protect: config.database.protect,
        },
        parent,
      );
      const redis = new MemorystoreRedis(
        'cache',
        {
          project,
          region,
          gcpProvider,
          network: network.network.id,
          privateServices: network.privateServices,
          environment,
          size: config.cache.size,
          highlyAvailable: config.cache.multiAz,
          readReplicas: config.cache.replicas,
          protect: config.database.protect,
        },
        parent,
      );
      homeCdn = new Cdn(
        region,
        {
          ...common,
          region: { role: 'home', postgres, redis },
          dataStoreCidrs: [network.privateServicesCidr],
        },
        parent,
      );
    } else {
      const homeOrigin = (homeCdn as CdnOutputs | undefined)?.homeOrigin;
      if (!homeOrigin) throw new Error('the home region is set up first');
      new Cdn(region, { ...common, region: { role: 'edge-only', homeOrigin } }, parent);
    }
  }

  const hostnames = homeCdn?.hostnames;
  if (!hostnames?.api || !hostnames.dashboard)
    throw new Error('the home region has no API hostname');
  const targets = config.regions.map((region) => ({
    region,
    address: addresses[region] as pulumi.Output<string>,
  }));
  const home = targets[0] as (typeof targets)[number];
  const dnsHostnames = { edge: hostnames.edge, api: hostnames.api, dashboard: hostnames.dashboard };
  const dns =
    config.dns.provider === 'clouddns'
      ? new CloudDnsRecords(
          'dns',
          {
            project,
            gcpProvider: homeProvider,
            zone: config.dns.zone,
            createZone: config.dns.createZone,
            hostnames: dnsHostnames,
            home,
            edges: targets,
          },
          parent,
        )
      : new CloudflareDns(
          'dns',
          {
            apiToken: config.dns.cloudflareApiToken as pulumi.Output<string>,
            zone: config.dns.zone,
            createZone: config.dns.createZone,
            accountId: config.dns.cloudflare?.accountId,
            loadBalancing: config.dns.cloudflare?.loadBalancing ?? false,
            hostnames: dnsHostnames,
            home,
            edges: targets,
          },
          parent,
        );

  return {
    ...stack.outputs(),
    gcpProject: project,
    edgeHostname: hostnames.edge,
    apiUrl: `https://${hostnames.api}`,
    dashboardUrl: `https://${hostnames.dashboard}`,
    ingressAddresses: addresses,
    nameServers: dns instanceof CloudDnsRecords ? dns.nameServers : undefined,
    kubeconfigs: pulumi.secret(kubeconfigs),
    grafanaAdminPasswords: pulumi.secret(grafanaAdminPasswords),
  };
}
