// The CDN's names in Cloudflare, through an explicit provider holding the API token (a secret).
// Without load balancing (an add-on not every account has): one record per region
// (<region>.<domain>), the edge hostname answering with every region's address, and the API and
// dashboard at home. With `loadBalancing`: a monitor, a pool per region and a DNS-only load balancer
// on the edge hostname steering each client to its geographic region's pool, failing over to the
// others. Records are never proxied: the edges are the CDN and terminate TLS themselves.
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import { type CloudflareRegion, cloudflareRegionOf } from './cloudflare-regions.ts';

export interface CloudflareTarget {
  region: string;
  /** The public IPv4 address the region's ingress answers on. */
  address: pulumi.Input<string>;
}

export interface CloudflareDnsArgs {
  /** The API token (Zone:DNS:Edit, plus Load Balancing:Edit with load balancing), a secret Output. */
  apiToken: pulumi.Output<string>;
  /** The zone's name, e.g. example.com. */
  zone: string;
  /** Create the zone (needs accountId) instead of using the existing one. */
  createZone: boolean;
  /** The account that owns the zone, load balancer pools and monitors. */
  accountId?: string;
  loadBalancing: boolean;
  hostnames: { edge: string; api: string; dashboard: string };
  home: CloudflareTarget;
  /** Every region running edges, home included. */
  edges: CloudflareTarget[];
  /** Seconds resolvers may cache an answer. Default 60. */
  ttl?: number;
}

export class CloudflareDns extends pulumi.ComponentResource {
  public readonly provider: cloudflare.Provider;
  public readonly zoneId: pulumi.Output<string>;
  public readonly records: cloudflare.DnsRecord[] = [];
  /** Set when load balancing is on. */
  public readonly loadBalancer?: cloudflare.LoadBalancer;
  public readonly pools: Record<string, cloudflare.LoadBalancerPool> = {};

  constructor(name: string, args: CloudflareDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad arguments register nothing, not even the component.
    if (args.edges.length === 0)
      throw new Error(`${name}: the edge hostname needs at least one region`);
    if ((args.loadBalancing || args.createZone) && !args.accountId) {
      throw new Error(
        `${name}: ${args.loadBalancing ? 'load balancing' : 'creating the zone'} needs the Cloudflare account ID (dns.cloudflare.accountId)`,
      );
    }
    if (!args.edges.some((edge) => edge.region === args.home.region)) {
      throw new Error(
        `${name}: the home region ${args.home.region} must be one of the edge regions`,
      );
    }
    // Regions resolve before anything registers: an unknown one fails here, not half-way.
    const steering = args.edges.map((edge) => ({
      ...edge,
      steersFrom: cloudflareRegionOf(edge.region),
    }));
    super('edgeplane:dns:Cloudflare', name, {}, opts);

    this.provider = new cloudflare.Provider(
      `${name}-provider`,
      { apiToken: pulumi.secret(args.apiToken) },
      { parent: this },
    );
    const cfOpts = { parent: this, provider: this.provider };
    const ttl = args.ttl ?? 60;

    if (args.createZone) {
      const zone = new cloudflare.Zone(
        name,
        { account: { id: args.accountId as string }, name: args.zone, type: 'full' },
        cfOpts,
      );
      this.zoneId = zone.id;
    } else {
      this.zoneId = cloudflare
        .getZoneOutput({ filter: { name: args.zone } }, { parent: this, provider: this.provider })
        .apply((zone) => {
          if (!zone.id)
            throw new Error(`no Cloudflare zone ${args.zone} is visible to the API token`);
          return zone.id;
        });
    }

    const record = (
      resourceName: string,
      hostname: string,
      address: pulumi.Input<string>,
      comment: string,
    ) => {
      const dnsRecord = new cloudflare.DnsRecord(
        `${name}-${resourceName}`,
        {
          zoneId: this.zoneId,
          name: hostname,
          type: 'A',
          content: address,
          ttl,
          proxied: false,
          comment,
        },
        cfOpts,
      );
      this.records.push(dnsRecord);
      return dnsRecord;
    };
    record('api', args.hostnames.api, args.home.address, 'edgeplane origin API (home region)');
    record(
      'dashboard',
      args.hostnames.dashboard,
      args.home.address,
      'edgeplane dashboard (home region)',
    );
    for (const edge of args.edges) {
      record(
        `edge-${edge.region}`,
        `${edge.region}.${args.hostnames.edge}`,
        edge.address,
        `edgeplane edges in ${edge.region}`,
      );
    }

    if (!args.loadBalancing) {
      // No steering without the add-on: the edge hostname answers with every region (round robin).
      for (const edge of args.edges) {
        record(
          `edge-any-${edge.region}`,
          args.hostnames.edge,
          edge.address,
          `edgeplane edges in ${edge.region}`,
        );
      }
    } else {
      const accountId = args.accountId as string;
      const monitor = new cloudflare.LoadBalancerMonitor(
        `${name}-edge`,
        {
          accountId,
          description: `edgeplane ingress answering on 443 (${args.hostnames.edge})`,
          type: 'tcp',
          port: 443,
          interval: 60,
          timeout: 5,
          retries: 2,
          consecutiveDown: 2,
          consecutiveUp: 2,
        },
        cfOpts,
      );
      for (const edge of steering) {
        this.pools[edge.region] = new cloudflare.LoadBalancerPool(
          `${name}-${edge.region}`,
          {
            accountId,
            name: `edgeplane-${args.hostnames.edge.replaceAll('.', '-')}-${edge.region}`,
            description: `edgeplane edges in ${edge.region}`,
            origins: [{ name: edge.region, address: edge.address, enabled: true, weight: 1 }],
            monitor: monitor.id,
            checkRegions: [edge.steersFrom],
            minimumOrigins: 1,
          },
          cfOpts,
        );
      }
      const poolIds = (first: string[]) => {
        const rest = steering
          .map((edge) => edge.region)
          .filter((region) => !first.includes(region));
        return [...first, ...rest].map(
          (region) => (this.pools[region] as cloudflare.LoadBalancerPool).id,
        );
      };
      // Each Cloudflare region that has edges gets its own pools first, then every other region's.
      const regionPools: Partial<Record<CloudflareRegion, pulumi.Output<string>[]>> = {};
      for (const edge of steering) {
        const local = steering
          .filter((other) => other.steersFrom === edge.steersFrom)
          .map((other) => other.region);
        regionPools[edge.steersFrom] = poolIds(local);
      }
      this.loadBalancer = new cloudflare.LoadBalancer(
        `${name}-edge`,
        {
          zoneId: this.zoneId,
          name: args.hostnames.edge,
          description: 'edgeplane edges, nearest region first',
          steeringPolicy: 'geo',
          regionPools,
          defaultPools: poolIds([args.home.region]),
          fallbackPool: (this.pools[args.home.region] as cloudflare.LoadBalancerPool).id,
          proxied: false,
          ttl: 30,
          enabled: true,
        },
        cfOpts,
      );
    }

    this.registerOutputs({ zoneId: this.zoneId, loadBalancer: this.loadBalancer?.id });
  }
}
