// Databases keep automated backups long enough to notice a mistake, with point-in-time recovery
// where the engine offers it. Mandatory: Postgres is edgeplane's source of truth (tenants, keys,
// purge history); without backups a bad migration or a dropped table is permanent.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import {
  type Environment,
  environmentConfigProperty,
  environmentOf,
  environments,
} from '../lib/environment.ts';
import { type PerEnvironment, perEnvironmentSchema, settingFor } from '../lib/per-environment.ts';
import { read, unknown } from '../lib/props.ts';

export const defaultMinRetentionDays: PerEnvironment<number> = { dev: 1, staging: 7, prod: 7 };
export const defaultPointInTimeRecovery: Environment[] = ['staging', 'prod'];

interface BackupSettings {
  environment?: Environment;
  minRetentionDays?: Partial<PerEnvironment<number>>;
  pointInTimeRecovery?: Environment[];
}

// What the clouds keep when the program says nothing: RDS and Aurora 1 day, Cloud SQL 7 backups.
const rdsDefaultRetention = 1;
const cloudSqlDefaultRetainedBackups = 7;

export const databaseBackups: ResourceValidationPolicy = {
  name: 'database-backups',
  description:
    'Databases keep automated backups for at least minRetentionDays (default dev 1, staging 7, prod 7), and Cloud SQL has backups and point-in-time recovery on (staging and prod by default). Mandatory: Postgres is the source of truth; a lost table cannot be rebuilt from anywhere else.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      minRetentionDays: perEnvironmentSchema(
        { type: 'integer', minimum: 0, maximum: 35 },
        defaultMinRetentionDays,
        'Fewest days (RDS, Aurora) or backups (Cloud SQL) to keep, per environment.',
      ),
      pointInTimeRecovery: {
        type: 'array',
        items: { type: 'string', enum: [...environments] },
        default: defaultPointInTimeRecovery,
        description: 'Environments whose Cloud SQL instances must have point-in-time recovery.',
      },
    },
  },
  validateResource: validateTypes({
    [aws.rdsInstance]: (props, report, args) => {
      // A read replica has no automated backups of its own to keep.
      if (read(props, 'replicateSourceDb') !== undefined) return;
      checkRetention(
        'RDS',
        'backupRetentionPeriod',
        read(props, 'backupRetentionPeriod'),
        rdsDefaultRetention,
        args,
        report,
      );
    },
    [aws.rdsCluster]: (props, report, args) => {
      checkRetention(
        'Aurora',
        'backupRetentionPeriod',
        read(props, 'backupRetentionPeriod'),
        rdsDefaultRetention,
        args,
        report,
      );
    },
    [gcp.sqlInstance]: (props, report, args) => {
      const backup = 'settings.backupConfiguration';
      const enabled = read(props, `${backup}.enabled`);
      if (enabled === unknown) return;
      if (enabled !== true) {
        report(`Cloud SQL has no automated backups: set ${backup}.enabled: true.`);
        return;
      }
      const environment = environmentOf(args) ?? 'prod';
      const settings = args.getConfig<BackupSettings>();
      const pitr = read(props, `${backup}.pointInTimeRecoveryEnabled`);
      const pitrEnvironments = settings.pointInTimeRecovery ?? defaultPointInTimeRecovery;
      if (pitrEnvironments.includes(environment) && pitr !== true && pitr !== unknown)
        report(
          `Cloud SQL in ${environment} has no point-in-time recovery: set ${backup}.pointInTimeRecoveryEnabled: true.`,
        );
      checkRetention(
        'Cloud SQL',
        `${backup}.backupRetentionSettings.retainedBackups`,
        read(props, `${backup}.backupRetentionSettings.retainedBackups`),
        cloudSqlDefaultRetainedBackups,
        args,
        report,
      );
    },
  }),
};

function checkRetention(
  what: string,
  key: string,
  value: unknown,
  cloudDefault: number,
  args: Parameters<typeof environmentOf>[0],
  report: (message: string) => void,
): void {
  if (value === unknown) return;
  const environment = environmentOf(args) ?? 'prod';
  const settings = args.getConfig<BackupSettings>();
  const minimum = settingFor(settings.minRetentionDays, defaultMinRetentionDays, environment);
  const kept = typeof value === 'number' ? value : cloudDefault;
  if (kept < minimum) {
    const given =
      typeof value === 'number' ? `${value}` : `unset (the cloud keeps ${cloudDefault})`;
    report(
      `${what} keeps backups for ${given}, fewer than ${minimum} in ${environment}: set ${key}: ${minimum} or more.`,
    );
  }
}
