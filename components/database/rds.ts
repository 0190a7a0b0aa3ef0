// RdsPostgres implements PostgresEndpoint on AWS: one RDS for PostgreSQL instance in the region's
// private subnets, reachable only from the VPC on 5432, encrypted at rest, TLS forced by its
// parameter group (rds.force_ssl), automated backups (point-in-time recovery within the retention),
// Multi-AZ and deletion protection when asked, Performance Insights, a generated password kept secret.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { type RdsSize, rdsInstanceClasses } from './rds-sizes.ts';
import type { PostgresEndpoint } from './types.ts';

export interface RdsPostgresArgs {
  provider: aws.Provider;
  vpcId: pulumi.Input<string>;
  /** Who may connect: the VPC's range (nodes and pods with the VPC CNI). */
  allowedCidrs: string[];
  subnetIds: pulumi.Input<string>[];
  /** PostgreSQL major version, 15-18. */
  version: string;
  size: RdsSize;
  storageGb: number;
  backupRetentionDays: number;
  multiAz: boolean;
  deletionProtection: boolean;
  /** Pulumi `protect`: `pulumi destroy` refuses to delete the instance. */
  protect: boolean;
  tags: Record<string, string>;
  /**
   * PEM of the RDS CA bundle (AWS publishes it; no AWS API or Pulumi resource returns it). Given:
   * the runtime verifies the server and its DNS name (`verify-full`). Absent: `require`.
   */
  caBundle?: pulumi.Input<string>;
}

export const rdsDatabaseName = 'edgeplane';
export const rdsUser = 'edgeplane';

export class RdsPostgres extends pulumi.ComponentResource implements PostgresEndpoint {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly database: pulumi.Output<string>;
  public readonly user: pulumi.Output<string>;
  public readonly password: pulumi.Output<string>;
  /** `require` (encrypted, unverified) unless a CA bundle is given: then `verify-full`. */
  public readonly sslMode: 'require' | 'verify-full';
  public readonly caCertificate?: pulumi.Output<string>;
  public readonly instance: aws.rds.Instance;

  constructor(name: string, args: RdsPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:database:RdsPostgres', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const { tags } = args;

    const subnets = new aws.rds.SubnetGroup(
      name,
      { subnetIds: args.subnetIds, description: 'edgeplane Postgres: private subnets', tags },
      child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: 'edgeplane Postgres: 5432 from the VPC only',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: args.allowedCidrs,
            description: 'Postgres from the VPC',
          },
        ],
        tags,
      },
      child,
    );
    const parameters = new aws.rds.ParameterGroup(
      name,
      {
        family: `postgres${args.version}`,
        description: 'edgeplane Postgres: TLS only, slow statements logged',
        parameters: [
          { name: 'rds.force_ssl', value: '1' },
          { name: 'log_min_duration_statement', value: '1000' },
          { name: 'log_connections', value: '1' },
        ],
        tags,
      },
      child,
    );
    // RDS refuses '/', '@', '"' and spaces in master passwords; letters and digits are plenty at 40.
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: 40, special: false },
      { parent: this },
    );
    this.instance = new aws.rds.Instance(
      name,
      {
        engine: 'postgres',
        engineVersion: args.version,
        instanceClass: rdsInstanceClasses[args.size],
        allocatedStorage: args.storageGb,
        maxAllocatedStorage: args.storageGb * 4,
        storageType: 'gp3',
        storageEncrypted: true,
        dbName: rdsDatabaseName,
        username: rdsUser,
        password: pulumi.secret(password.result),
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        multiAz: args.multiAz,
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: '03:00-04:00',
        maintenanceWindow: 'sun:04:30-sun:05:30',
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: !args.protect,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: !args.protect,
        finalSnapshotIdentifier: args.protect ? `${name}-final` : undefined,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: 7,
        enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
        autoMinorVersionUpgrade: true,
        caCertIdentifier: 'rds-ca-rsa2048-g1',
        applyImmediately: !args.protect,
        tags,
      },
      { ...child, protect: args.protect },
    );
    this.host = this.instance.address;
    this.port = this.instance.port;
    this.database = pulumi.output(rdsDatabaseName);
    this.user = pulumi.output(rdsUser);
    this.password = pulumi.secret(password.result);
    // The certificate names the instance's DNS endpoint, which is the host the runtime dials.
    this.sslMode = args.caBundle === undefined ? 'require' : 'verify-full';
    if (args.caBundle !== undefined) this.caCertificate = pulumi.output(args.caBundle);
    this.registerOutputs({ host: this.host, port: this.port });
  }
}
