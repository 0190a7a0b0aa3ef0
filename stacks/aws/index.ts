// The aws composition: the first region is home (EKS + RDS + ElastiCache + origin + edges), every
// other region gets its own EKS running edges only. One AWS provider per region, one Kubernetes
// provider per cluster, nothing on a default provider. Route53 holds the API and dashboard names
// (home origin) and a latency record per region for the edge hostname.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { Route53Records } from '../../components/dns/route53.ts';
import { AcmCertificates } from '../../components/dns/route53-certificate.ts';
import { Route53Zone } from '../../components/dns/route53-zone.ts';
import type { StackConfig } from '../config.ts';
import { EdgeplaneStack, type StackOutputs } from '../edgeplane-stack.ts';
import { awsSchema } from './config-schema.ts';
import { type AwsRegionDeployment, deployAwsRegion } from './region.ts';
import { stackTags } from './tags.ts';

export function deploy(config: StackConfig): StackOutputs {
  if (config.dns.provider !== 'route53') {
    throw new Error(
      'edgeplane:dns.provider must be route53 on cloud aws (the config check enforces it)',
    );
  }
  const awsSettings = config.aws ?? awsSchema(config.environment).parse({});
  const stack = new EdgeplaneStack(config.stack, { config });
  const parent = { parent: stack };
  const providers = config.regions.map(
    (region) =>
      new aws.Provider(
        `aws-${region}`,
        { region: region as aws.Region, defaultTags: { tags: stackTags(config, region) } },
        parent,
      ),
  );
  const homeProvider = providers[0] as aws.Provider;
  const homeTags = stackTags(config, config.homeRegion);

  // Route53 is global: the home region's provider manages the zone and every record.
  const zone = new Route53Zone(
    'dns-zone',
    {
      provider: homeProvider,
      zone: config.dns.zone,
      create: config.dns.createZone,
      protect: config.database.protect,
      tags: homeTags,
    },
    parent,
  );
  const hostnames = {
    edge: config.domain,
    api: `api.${config.domain}`,
    dashboard: `dashboard.${config.domain}`,
  };
  const certificates = new AcmCertificates(
    'certificates',
    {
      dnsProvider: homeProvider,
      zoneId: zone.zoneId,
      homeNames: [hostnames.edge, hostnames.api, hostnames.dashboard],
      regions: config.regions.map((region, index) => ({
        region,
        provider: providers[index] as aws.Provider,
      })),
      tags: homeTags,
    },
    parent,
  );

  const deployments: AwsRegionDeployment[] = [];
  for (const [index, region] of config.regions.entries()) {
    const home = deployments[0];
    deployments.push(
      deployAwsRegion({
        config,
        aws: awsSettings,
        region,
        provider: providers[index] as aws.Provider,
        zoneId: zone.zoneId,
        certificateArn: certificates.certificateArns[region] as pulumi.Output<string>,
        homeOrigin: home?.cdn.homeOrigin,
        parent: stack,
      }),
    );
  }
  const home = deployments[0] as AwsRegionDeployment;
  const homeAddresses = home.cdn.loadBalancers;
  if (!homeAddresses?.origin)
    throw new Error('the home region runs the origin behind a load balancer');
  new Route53Records(
    'dns-records',
    {
      provider: homeProvider,
      zoneId: zone.zoneId,
      edgeHostname: hostnames.edge,
      apiHostname: hostnames.api,
      dashboardHostname: hostnames.dashboard,
      originAddress: homeAddresses.origin,
      edges: deployments.map((deployment, index) => ({
        region: config.regions[index] as string,
        address: deployment.cdn.loadBalancers?.edge ?? pulumi.output(''),
      })),
      tags: homeTags,
    },
    parent,
  );

  return {
    ...stack.outputs(),
    edgeHostname: hostnames.edge,
    apiUrl: `https://${hostnames.api}`,
    dashboardUrl: `https://${hostnames.dashboard}`,
    zoneNameServers: zone.nameServers,
    clusters: Object.fromEntries(
      deployments.map((deployment, index) => [config.regions[index], deployment.cluster.name]),
    ),
    edgeLoadBalancers: Object.fromEntries(
      deployments.map((deployment, index) => [
        config.regions[index],
        deployment.cdn.loadBalancers?.edge,
      ]),
    ),
    kubeconfigs: pulumi.secret(
      Object.fromEntries(
        deployments.map((deployment, index) => [
          config.regions[index],
          deployment.cluster.kubeconfig,
        ]),
      ),
    ),
    grafanaAdminPasswords: pulumi.secret(
      Object.fromEntries(
        deployments.map((deployment, index) => [
          config.regions[index],
          deployment.monitoring.grafanaAdminPassword,
        ]),
      ),
    ),
  };
}
