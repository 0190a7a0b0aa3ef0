// The k3s composition: a k3s cluster (existing, or installed over SSH) running the whole CDN in
// one region: monitoring, cert-manager, in-cluster Postgres and Redis, the origin and the edges.
import { InClusterRedis } from '../../components/cache/incluster.ts';
import { Cdn } from '../../components/cdn/index.ts';
import { K3sCluster } from '../../components/cluster/k3s.ts';
import { clusterNamespace } from '../../components/cluster/namespace.ts';
import { InClusterPostgres } from '../../components/database/incluster.ts';
import { Monitoring } from '../../components/monitoring/index.ts';
import { namespaces } from '../../components/namespaces.ts';
import { CertManager } from '../../components/tls/cert-manager.ts';
import { dns01ForStack } from '../../components/tls/dns01.ts';
import type { StackConfig } from '../config.ts';
import { EdgeplaneStack, type StackOutputs } from '../edgeplane-stack.ts';

export function deploy(config: StackConfig): StackOutputs {
  if (!config.k3s)
    throw new Error('edgeplane:k3s is required on cloud k3s (the config check enforces it)');
  const stack = new EdgeplaneStack(config.stack, { config });
  const parent = { parent: stack };

  const cluster = new K3sCluster(
    'cluster',
    { region: config.homeRegion, k3s: config.k3s, clusterName: `edgeplane-${config.stack}` },
    parent,
  );
  const monitoring = new Monitoring(
    'monitoring',
    {
      cluster,
      environment: config.environment,
      domain: config.domain,
      retentionDays: config.monitoring.retentionDays,
      slackWebhookUrl: config.monitoring.slackWebhookUrl,
      pagerdutyRoutingKey: config.monitoring.pagerdutyRoutingKey,
      // k3s runs etcd, the scheduler and the controller-manager inside its own binary.
      scrapeControlPlane: false,
    },
    parent,
  );
  const tls = new CertManager(
    'tls',
    {
      cluster,
      environment: config.environment,
      issuer: config.tls.issuer,
      acmeEmail: config.tls.email,
      // On k3s only Cloudflare can answer DNS-01: there are no ambient AWS or GCP credentials.
      dns01: config.dns.provider === 'cloudflare' ? dns01ForStack(config.dns) : undefined,
      highlyAvailable: config.environment === 'prod',
      monitoring: monitoring.outputs(),
    },
    parent,
  );
  const dataNamespace = clusterNamespace(
    'data-namespace',
    { cluster, name: namespaces.data, component: 'data', environment: config.environment },
    parent,
  );
  const postgres = new InClusterPostgres(
    'database',
    {
      cluster,
      namespace: dataNamespace.metadata.name,
      environment: config.environment,
      version: config.database.version,
      size: config.database.size,
      storageGb: config.database.storageGb,
      protect: config.database.protect,
    },
    parent,
  );
  const redis = new InClusterRedis(
    'cache',
    {
      cluster,
      namespace: dataNamespace.metadata.name,
      environment: config.environment,
      size: config.cache.size,
      protect: config.database.protect,
    },
    parent,
  );
  const cdn = new Cdn(
    config.homeRegion,
    {
      cluster,
      tls,
      monitoring: monitoring.outputs(),
      region: { role: 'home', postgres, redis },
      runtime: config.runtime,
      domain: config.domain,
      environment: config.environment,
    },
    parent,
  );

  return {
    ...stack.outputs(),
    edgeHostname: cdn.hostnames.edge,
    apiUrl: `https://${cdn.hostnames.api ?? ''}`,
    dashboardUrl: `https://${cdn.hostnames.dashboard ?? ''}`,
    kubeconfig: cluster.kubeconfig,
    grafanaAdminPassword: monitoring.grafanaAdminPassword,
  };
}
