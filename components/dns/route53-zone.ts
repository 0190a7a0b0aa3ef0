// The stack's Route53 hosted zone: looked up by name, or created when `dns.createZone` is set
// (then delegate to its name servers at the registrar).
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface Route53ZoneArgs {
  /** Any region's provider: Route53 is global. */
  provider: aws.Provider;
  zone: string;
  create: boolean;
  /** A created zone is protected in prod: deleting it takes the CDN off the internet. */
  protect: boolean;
  tags: Record<string, string>;
}

export class Route53Zone extends pulumi.ComponentResource {
  public readonly zoneId: pulumi.Output<string>;
  /** Only for a created zone: the name servers to delegate to. */
  public readonly nameServers?: pulumi.Output<string[]>;

  constructor(name: string, args: Route53ZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:dns:Route53Zone', name, {}, opts);
    if (args.create) {
      const zone = new aws.route53.Zone(
        name,
        { name: args.zone, comment: 'edgeplane', forceDestroy: false, tags: args.tags },
        { parent: this, provider: args.provider, protect: args.protect },
      );
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    } else {
      this.zoneId = aws.route53.getZoneOutput(
        { name: args.zone, privateZone: false },
        { parent: this, provider: args.provider },
      ).zoneId;
    }
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers });
  }
}
