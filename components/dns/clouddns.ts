// The CDN's names in Cloud DNS: the zone (an existing public one, found by its DNS name, or a new one
// with DNSSEC), the API and dashboard at the home region's address, and the edge hostname with a
// geo routing policy: each client is answered with the nearest region's address, and a region
// whose load balancer fails its health check drops out of the answers.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface DnsTarget {
  /** The cloud region, e.g. europe-west1: Cloud DNS geo locations are GCP region names. */
  region: string;
  /** The public IPv4 address the region's ingress answers on. */
  address: pulumi.Input<string>;
}

export interface CloudDnsRecordsArgs {
  project: string;
  /** The home region's explicit GCP provider (Cloud DNS is global). */
  gcpProvider: gcp.Provider;
  /** The zone's DNS name, e.g. example.com. */
  zone: string;
  /** Create the zone instead of looking up an existing one. */
  createZone: boolean;
  hostnames: { edge: string; api: string; dashboard: string };
  /** The region running the origin: the API and dashboard point here. */
  home: DnsTarget;
  /** Every region running edges (home included): the edge hostname's geo policy covers each. */
  edges: DnsTarget[];
  /** Seconds resolvers may cache an answer. Default 60: a failed region drains within a minute. */
  ttl?: number;
}

/** Regions probing the edges' health: one per continent (Cloud DNS wants exactly three). */
export const healthCheckSourceRegions = ['us-central1', 'europe-west1', 'asia-southeast1'];

export class CloudDnsRecords extends pulumi.ComponentResource {
  /** The managed zone's resource name. */
  public readonly zoneName: pulumi.Output<string>;
  /** Name servers to delegate to when the zone was created here. */
  public readonly nameServers: pulumi.Output<string[]>;
  public readonly records: gcp.dns.RecordSet[] = [];

  constructor(name: string, args: CloudDnsRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad arguments register nothing, not even the component.
    if (args.edges.length === 0)
      throw new Error(`${name}: the edge hostname needs at least one region`);
    super('edgeplane:dns:CloudDns', name, {}, opts);
    const gcpOpts = { parent: this, provider: args.gcpProvider };
    const ttl = args.ttl ?? 60;
    const dnsName = `${args.zone}.`;

    if (args.createZone) {
      const zone = new gcp.dns.ManagedZone(
        name,
        {
          project: args.project,
          name: args.zone.replaceAll('.', '-'),
          dnsName,
          visibility: 'public',
          description: 'edgeplane: CDN, API and dashboard names',
          dnssecConfig: { state: 'on' },
          cloudLoggingConfig: { enableLogging: true },
        },
        gcpOpts,
      );
      this.zoneName = zone.name;
      this.nameServers = zone.nameServers;
    } else {
      const existing = gcp.dns
        .getManagedZonesOutput(
          { project: args.project },
          { parent: this, provider: args.gcpProvider },
        )
        .apply(({ managedZones }) => {
          const zone = managedZones.find(
            (candidate) => candidate.dnsName === dnsName && candidate.visibility === 'public',
          );
          if (!zone?.name) {
            throw new Error(
              `no public Cloud DNS zone ${dnsName} in project ${args.project}: create it, or set dns.createZone true`,
            );
          }
          return zone;
        });
      this.zoneName = existing.apply((zone) => zone.name as string);
      this.nameServers = existing.apply((zone) => zone.nameServers);
    }

    const record = (
      recordName: string,
      routing: Omit<gcp.dns.RecordSetArgs, 'managedZone' | 'name' | 'type'>,
    ) => {
      const recordSet = new gcp.dns.RecordSet(
        `${name}-${recordName}`,
        {
          project: args.project,
          managedZone: this.zoneName,
          name: `${recordName}.`,
          type: 'A',
          ttl,
          ...routing,
        },
        gcpOpts,
      );
      this.records.push(recordSet);
      return recordSet;
    };

    record(args.hostnames.api, { rrdatas: [args.home.address] });
    record(args.hostnames.dashboard, { rrdatas: [args.home.address] });

    const healthCheck = new gcp.compute.HealthCheck(
      `${name}-edge`,
      {
        project: args.project,
        description: `edgeplane: is each region's ingress answering on 443 (${args.hostnames.edge})`,
        sourceRegions: healthCheckSourceRegions,
        tcpHealthCheck: { port: 443 },
        checkIntervalSec: 30,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      gcpOpts,
    );
    record(args.hostnames.edge, {
      routingPolicy: {
        healthCheck: healthCheck.id,
        geos: args.edges.map((edge) => ({
          location: edge.region,
          healthCheckedTargets: { externalEndpoints: [edge.address] },
        })),
      },
    });

    this.registerOutputs({ zoneName: this.zoneName, nameServers: this.nameServers });
  }
}
