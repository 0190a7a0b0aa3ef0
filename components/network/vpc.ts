// The network of one AWS region: a VPC over several availability zones, private subnets for nodes,
// managed stores and internal load balancers, public subnets for NAT gateways and internet-facing
// load balancers. NAT per zone when highly available (a zone outage leaves the others egress),
// otherwise one. Flow logs of rejected traffic go to CloudWatch.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { subnetCidr } from './cidr.ts';

export interface AwsVpcArgs {
  /** The region's explicit provider: every resource and lookup goes through it. */
  provider: aws.Provider;
  /** The VPC's IPv4 range, /16 to /20. Private subnets get a quarter each, public ones a sixteenth. */
  cidr: string;
  /** Availability zones to spread over (2 or 3). */
  zoneCount: number;
  /** One NAT gateway per zone (prod) instead of one for all. */
  natPerZone: boolean;
  /** The EKS cluster name, for the subnet tags its load balancers look for. */
  clusterName: string;
  flowLogRetentionDays: number;
  tags?: Record<string, string>;
}

export class AwsVpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly cidr: string;
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetCidrs: string[];
  public readonly natGatewayCount: number;

  constructor(name: string, args: AwsVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:network:AwsVpc', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const tags = (suffix: string, extra: Record<string, string> = {}) => ({
      ...args.tags,
      ...extra,
      Name: `${name}-${suffix}`,
    });

    const zones = aws.getAvailabilityZonesOutput(
      { state: 'available', filters: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] },
      { parent: this, provider: args.provider },
    );
    const zoneName = (index: number) =>
      zones.names.apply((names) => {
        const zone = names[index];
        if (!zone) throw new Error(`the region has ${names.length} zones, ${args.zoneCount} asked`);
        return zone;
      });

    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tags('vpc'),
      },
      child,
    );
    // The default security group of a VPC allows everything between its members: empty it.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default`,
      { vpcId: vpc.id, tags: tags('default-deny') },
      child,
    );
    const gateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: tags('igw') },
      child,
    );
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: gateway.id }],
        tags: tags('public'),
      },
      child,
    );

    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };
    this.privateSubnetCidrs = [];
    this.privateSubnetIds = [];
    this.publicSubnetIds = [];
    const natGateways: aws.ec2.NatGateway[] = [];
    for (let index = 0; index < args.zoneCount; index++) {
      const zone = zoneName(index);
      const publicSubnet = new aws.ec2.Subnet(
        `${name}-public-${index}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: subnetCidr(args.cidr, 4, 12 + index),
          mapPublicIpOnLaunch: false,
          tags: tags(`public-${index}`, { ...clusterTag, 'kubernetes.io/role/elb': '1' }),
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${index}`,
        { subnetId: publicSubnet.id, routeTableId: publicRoutes.id },
        child,
      );
      this.publicSubnetIds.push(publicSubnet.id);
      if (index === 0 || args.natPerZone) {
        const address = new aws.ec2.Eip(
          `${name}-nat-${index}`,
          { domain: 'vpc', tags: tags(`nat-${index}`) },
          child,
        );
        natGateways.push(
          new aws.ec2.NatGateway(
            `${name}-nat-${index}`,
            { subnetId: publicSubnet.id, allocationId: address.id, tags: tags(`nat-${index}`) },
            { ...child, dependsOn: [gateway] },
          ),
        );
      }
      const nat = natGateways[args.natPerZone ? index : 0] as aws.ec2.NatGateway;
      const privateCidr = subnetCidr(args.cidr, 2, index);
      const privateSubnet = new aws.ec2.Subnet(
        `${name}-private-${index}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: privateCidr,
          tags: tags(`private-${index}`, {
            ...clusterTag,
            'kubernetes.io/role/internal-elb': '1',
          }),
        },
        child,
      );
      const privateRoutes = new aws.ec2.RouteTable(
        `${name}-private-${index}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
          tags: tags(`private-${index}`),
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${index}`,
        { subnetId: privateSubnet.id, routeTableId: privateRoutes.id },
        child,
      );
      this.privateSubnetIds.push(privateSubnet.id);
      this.privateSubnetCidrs.push(privateCidr);
    }
    this.natGatewayCount = natGateways.length;

    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogRetentionDays, tags: tags('flow-logs') },
      child,
    );
    const flowLogRole = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
        tags: tags('flow-logs'),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.id,
        policy: flowLogGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
                Resource: [arn, `${arn}:*`],
              },
            ],
          }),
        ),
      },
      child,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        trafficType: 'REJECT',
        logDestinationType: 'cloud-watch-logs',
        logDestination: flowLogGroup.arn,
        iamRoleArn: flowLogRole.arn,
        tags: tags('flow-logs'),
      },
      child,
    );

    this.vpcId = vpc.id;
    this.cidr = args.cidr;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }
}
