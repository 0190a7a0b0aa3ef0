// One AWS region of the stack: network, EKS, monitoring and cert-manager (with its Route53 role),
// and the CDN. The home region adds RDS and ElastiCache and runs the origin; the others run edges
// that follow the home origin over TLS with its edge token.
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { ElastiCacheRedis } from '../../components/cache/elasticache.ts';
import { Cdn, type CdnOutputs } from '../../components/cdn/index.ts';
import { EksCluster } from '../../components/cluster/eks.ts';
import { RdsPostgres } from '../../components/database/rds.ts';
import { nlbAnnotations } from '../../components/dns/route53-certificate.ts';
import { Route53ExternalDns } from '../../components/dns/route53-external-dns.ts';
import { certManagerRoute53Policy } from '../../components/identity/dns-policies.ts';
import { PodIdentityRole } from '../../components/identity/pod-identity.ts';
import { Monitoring } from '../../components/monitoring/index.ts';
import { namespaces } from '../../components/namespaces.ts';
import { AwsVpc } from '../../components/network/vpc.ts';
import { CertManager } from '../../components/tls/cert-manager.ts';
import { dns01ForStack } from '../../components/tls/dns01.ts';
import type { StackConfig } from '../config.ts';
import type { AwsSettings } from './config-schema.ts';
import { stackTags } from './tags.ts';

/** cert-manager's ServiceAccount: the chart names it after the release (components/tls: cert-manager). */
const certManagerServiceAccount = {
  namespace: namespaces.certManager,
  serviceAccount: 'cert-manager',
};

export interface AwsRegionArgs {
  config: StackConfig;
  aws: AwsSettings;
  region: string;
  /** The region's explicit provider (stacks/aws/index.ts makes one per region). */
  provider: aws.Provider;
  zoneId: pulumi.Output<string>;
  certificateArn: pulumi.Output<string>;
  /** Undefined for the home region; the home Cdn's origin for the others. */
  homeOrigin?: NonNullable<CdnOutputs['homeOrigin']>;
  parent: pulumi.Resource;
}

export interface AwsRegionDeployment {
  provider: aws.Provider;
  cluster: EksCluster;
  cdn: Cdn;
  monitoring: Monitoring;
}

export function deployAwsRegion(args: AwsRegionArgs): AwsRegionDeployment {
  const { config, region, parent } = args;
  const tags = stackTags(config, region);
  const highlyAvailable = config.environment === 'prod';
  const { provider } = args;
  const opts = { parent };
  const clusterName = `edgeplane-${config.stack}-${region}`;

  const network = new AwsVpc(
    `${region}-network`,
    {
      provider,
      cidr: args.aws.vpcCidr,
      zoneCount: args.aws.availabilityZones,
      natPerZone: highlyAvailable,
      clusterName,
      flowLogRetentionDays: args.aws.logRetentionDays,
      tags,
    },
    opts,
  );
  const cluster = new EksCluster(
    `${region}-cluster`,
    {
      provider,
      region,
      clusterName,
      version: config.cluster.version,
      vpc: network,
      nodeSize: config.cluster.nodeSize as string,
      minNodes: config.cluster.minNodes,
      maxNodes: config.cluster.maxNodes,
      spot: args.aws.spot,
      adminRoleArns: args.aws.adminRoleArns,
      publicAccessCidrs: args.aws.publicAccessCidrs,
      logRetentionDays: args.aws.logRetentionDays,
      tags,
      environment: config.environment,
    },
    opts,
  );
  const monitoring = new Monitoring(
    `${region}-monitoring`,
    {
      cluster,
      environment: config.environment,
      domain: config.domain,
      retentionDays: config.monitoring.retentionDays,
      slackWebhookUrl: config.monitoring.slackWebhookUrl,
      pagerdutyRoutingKey: config.monitoring.pagerdutyRoutingKey,
      // EKS runs the control plane out of reach: only its logs (CloudWatch) are there to read.
      scrapeControlPlane: false,
    },
    opts,
  );
  const certManagerIdentity = new PodIdentityRole(
    `${region}-cert-manager`,
    {
      provider,
      clusterName: cluster.name,
      ...certManagerServiceAccount,
      policy: certManagerRoute53Policy(args.zoneId),
      tags,
    },
    opts,
  );
  const tls = new CertManager(
    `${region}-tls`,
    {
      cluster,
      environment: config.environment,
      issuer: config.tls.issuer,
      acmeEmail: config.tls.email,
      // Pod Identity hands the role to cert-manager's pods: no ServiceAccount annotation needed.
      dns01: dns01ForStack(config.dns, { awsRegion: region, hostedZoneId: args.zoneId }),
      highlyAvailable,
      monitoring: monitoring.outputs(),
    },
    { ...opts, dependsOn: [certManagerIdentity] },
  );
  if (config.dns.externalDns) {
    new Route53ExternalDns(
      `${region}-external-dns`,
      {
        provider,
        cluster,
        zone: config.dns.zone,
        zoneId: args.zoneId,
        ownerId: clusterName,
        tags,
      },
      opts,
    );
  }

  const common = {
    cluster,
    tls,
    monitoring: monitoring.outputs(),
    runtime: config.runtime,
    domain: config.domain,
    environment: config.environment,
    loadBalancer: { annotations: nlbAnnotations(args.certificateArn) },
  };
  let cdn: Cdn;
  if (args.homeOrigin) {
    cdn = new Cdn(
      region,
      { ...common, region: { role: 'edge-only', homeOrigin: args.homeOrigin } },
      opts,
    );
  } else {
    const dataStores = {
      provider,
      vpcId: network.vpcId,
      // Nodes and pods (VPC CNI) live in the private subnets; nothing public reaches the stores.
      allowedCidrs: network.privateSubnetCidrs,
      subnetIds: network.privateSubnetIds,
      tags,
    };
    const postgres = new RdsPostgres(
      `${region}-database`,
      {
        ...dataStores,
        version: config.database.version,
        size: config.database.size,
        storageGb: config.database.storageGb,
        backupRetentionDays: config.database.backupRetentionDays,
        multiAz: config.database.multiAz,
        deletionProtection: config.database.deletionProtection,
        protect: config.database.protect,
      },
      opts,
    );
    const redis = new ElastiCacheRedis(
      `${region}-cache`,
      {
        ...dataStores,
        size: config.cache.size,
        replicas: config.cache.replicas,
        multiAz: config.cache.multiAz,
        snapshotRetentionDays: Math.min(config.database.backupRetentionDays, 35),
        protect: config.database.protect,
      },
      opts,
    );
    cdn = new Cdn(
      region,
      {
        ...common,
        region: { role: 'home', postgres, redis },
        // The managed stores live in the VPC's private subnets, outside the cluster.
        dataStoreCidrs: network.privateSubnetCidrs,
      },
      opts,
    );
  }
  return { provider, cluster, cdn, monitoring };
}
