// Cloud SQL for PostgreSQL in the home region: private IP only (through the VPC's private services
// access), TLS required (ENCRYPTED_ONLY), encrypted at rest (Google-managed keys), daily backups with
// point-in-time recovery, regional HA and deletion protection plus Pulumi `protect` in prod, Query
// Insights, and a generated password that stays a secret.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { PostgresEndpoint } from './types.ts';

export type CloudSqlSize = 'small' | 'medium' | 'large' | 'xlarge';

/** Machine tiers per `database.size` (dedicated-core, Enterprise edition). */
export const cloudSqlTiers: Record<CloudSqlSize, string> = {
  small: 'db-custom-1-3840',
  medium: 'db-custom-2-7680',
  large: 'db-custom-4-15360',
  xlarge: 'db-custom-8-30720',
};

export interface CloudSqlPostgresArgs {
  project: string;
  region: string;
  gcpProvider: gcp.Provider;
  /** The VPC's self link or ID: the instance gets an address there and nowhere else. */
  network: pulumi.Input<string>;
  /** The private services peering; the instance is created after it. */
  privateServices: pulumi.Resource;
  environment: 'dev' | 'staging' | 'prod';
  /** `database.version`: PostgreSQL major, 15-18. */
  version: string;
  size: CloudSqlSize;
  storageGb: number;
  backupRetentionDays: number;
  /** Regional (two-zone) HA. */
  highlyAvailable: boolean;
  deletionProtection: boolean;
  /** Pulumi `protect` on the instance: `pulumi destroy` refuses until it is lifted. */
  protect: boolean;
}

export const cloudSqlDatabase = 'edgeplane';
export const cloudSqlUser = 'edgeplane';

export class CloudSqlPostgres extends pulumi.ComponentResource implements PostgresEndpoint {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly database: pulumi.Output<string>;
  public readonly user: pulumi.Output<string>;
  public readonly password: pulumi.Output<string>;
  /**
   * The chain is verified against the instance's own server CA (below); the host name is not,
   * because the private-IP certificate does not carry the IP as a name.
   */
  public readonly sslMode = 'verify-ca' as const;
  public readonly instance: gcp.sql.DatabaseInstance;
  /** `project:region:instance`, for the Cloud SQL Auth Proxy. */
  public readonly connectionName: pulumi.Output<string>;
  /** PEM of the instance's server CA(s): the runtime verifies the server against it (verify-ca). */
  public readonly serverCaCertificate: pulumi.Output<string>;
  /** PostgresEndpoint's CA: the same PEM as serverCaCertificate. */
  public readonly caCertificate: pulumi.Output<string>;

  constructor(name: string, args: CloudSqlPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:database:CloudSqlPostgres', name, {}, opts);
    const gcpOpts = { parent: this, provider: args.gcpProvider };

    this.instance = new gcp.sql.DatabaseInstance(
      name,
      {
        project: args.project,
        region: args.region,
        databaseVersion: `POSTGRES_${args.version}`,
        deletionProtection: args.deletionProtection,
        settings: {
          tier: cloudSqlTiers[args.size],
          edition: 'ENTERPRISE',
          availabilityType: args.highlyAvailable ? 'REGIONAL' : 'ZONAL',
          diskType: 'PD_SSD',
          diskSize: args.storageGb,
          diskAutoresize: true,
          deletionProtectionEnabled: args.deletionProtection,
          ipConfiguration: {
            ipv4Enabled: false,
            privateNetwork: args.network,
            sslMode: 'ENCRYPTED_ONLY',
            enablePrivatePathForGoogleCloudServices: true,
          },
          backupConfiguration: {
            enabled: true,
            startTime: '03:00',
            pointInTimeRecoveryEnabled: true,
            transactionLogRetentionDays: Math.min(args.backupRetentionDays, 7),
            backupRetentionSettings: {
              retainedBackups: args.backupRetentionDays,
              retentionUnit: 'COUNT',
            },
          },
          insightsConfig: {
            queryInsightsEnabled: true,
            queryStringLength: 1024,
            recordApplicationTags: true,
            recordClientAddress: false,
          },
          maintenanceWindow: { day: 7, hour: 4, updateTrack: 'stable' },
          databaseFlags: [
            { name: 'log_min_duration_statement', value: '1000' },
            { name: 'log_lock_waits', value: 'on' },
          ],
          userLabels: { 'part-of': 'edgeplane', environment: args.environment },
        },
      },
      { ...gcpOpts, dependsOn: [args.privateServices], protect: args.protect },
    );

    const database = new gcp.sql.Database(
      `${name}-${cloudSqlDatabase}`,
      { project: args.project, instance: this.instance.name, name: cloudSqlDatabase },
      gcpOpts,
    );
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: 40, special: false },
      { parent: this },
    );
    const user = new gcp.sql.User(
      `${name}-user`,
      {
        project: args.project,
        instance: this.instance.name,
        name: cloudSqlUser,
        type: 'BUILT_IN',
        password: pulumi.secret(password.result),
      },
      gcpOpts,
    );

    this.host = this.instance.privateIpAddress;
    this.port = pulumi.output(5432);
    this.database = database.name;
    this.user = user.name;
    this.password = pulumi.secret(password.result);
    this.connectionName = this.instance.connectionName;
    this.serverCaCertificate = this.instance.serverCaCerts.apply((certs) =>
      (certs ?? []).map((cert) => cert.cert).join('\n'),
    );
    this.caCertificate = this.serverCaCertificate;

    this.registerOutputs({
      host: this.host,
      port: this.port,
      database: this.database,
      user: this.user,
      password: this.password,
      sslMode: this.sslMode,
      connectionName: this.connectionName,
      serverCaCertificate: this.serverCaCertificate,
    });
  }
}
