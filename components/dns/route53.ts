// The CDN's public names in Route53: the API and the dashboard point at the home origin's load
// balancer; the edge hostname has one latency record per region, each with a health check, so
// clients go to the nearest healthy region and a region that fails its check leaves DNS.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface Route53RecordsArgs {
  provider: aws.Provider;
  zoneId: pulumi.Input<string>;
  /** The edge hostname (the stack's domain); must not be the zone apex (a CNAME cannot live there). */
  edgeHostname: string;
  apiHostname: string;
  dashboardHostname: string;
  /** The home origin's load balancer address. */
  originAddress: pulumi.Input<string>;
  /** Each region's edge load balancer address; one latency record and health check per region. */
  edges: { region: string; address: pulumi.Input<string> }[];
  tags: Record<string, string>;
}

export const recordTtlSeconds = 60;

export class Route53Records extends pulumi.ComponentResource {
  public readonly healthCheckIds: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: Route53RecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:dns:Route53Records', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const cname = (hostname: string, target: pulumi.Input<string>) =>
      new aws.route53.Record(
        `${name}-${hostname}`,
        {
          zoneId: args.zoneId,
          name: hostname,
          type: 'CNAME',
          ttl: recordTtlSeconds,
          records: [target],
        },
        child,
      );
    cname(args.apiHostname, args.originAddress);
    cname(args.dashboardHostname, args.originAddress);

    for (const edge of args.edges) {
      // TCP on 443: the load balancer's listener answers only while it has healthy edge targets.
      const healthCheck = new aws.route53.HealthCheck(
        `${name}-edge-${edge.region}`,
        {
          type: 'TCP',
          fqdn: edge.address,
          port: 443,
          requestInterval: 10,
          failureThreshold: 3,
          tags: { ...args.tags, Name: `edgeplane edge ${edge.region}` },
        },
        child,
      );
      this.healthCheckIds[edge.region] = healthCheck.id;
      new aws.route53.Record(
        `${name}-edge-${edge.region}`,
        {
          zoneId: args.zoneId,
          name: args.edgeHostname,
          type: 'CNAME',
          ttl: recordTtlSeconds,
          records: [edge.address],
          setIdentifier: edge.region,
          latencyRoutingPolicies: [{ region: edge.region }],
          healthCheckId: healthCheck.id,
        },
        child,
      );
    }
    this.registerOutputs({ healthCheckIds: this.healthCheckIds });
  }
}
