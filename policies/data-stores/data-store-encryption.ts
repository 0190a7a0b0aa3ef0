// Managed Postgres and Redis encrypt what they store, and databases what they send. Mandatory: an
// unencrypted database or cache cannot be fixed in place (RDS and ElastiCache encryption at rest is
// chosen at creation), and edgeplane's stores hold tenants' API keys, sessions and purge history.
// Redis in transit is redis-tls's (policies/tls), so a plaintext cache is reported once.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import { read, readArray, unknown } from '../lib/props.ts';

/** Cloud SQL SSL modes that refuse unencrypted connections. */
const encryptedOnlySslModes = ['ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'];

/**
 * RDS and Aurora PostgreSQL parameter groups that turn `rds.force_ssl` off accept plaintext
 * connections (PostgreSQL 15 and later force TLS by default; edgeplane's group sets it to 1).
 */
function checkForceSsl(props: Record<string, unknown>, report: (message: string) => void) {
  const parameters = readArray(props, 'parameters');
  if (parameters === unknown || parameters === undefined) return;
  for (const parameter of parameters) {
    if (read(parameter, 'name') === 'rds.force_ssl' && read(parameter, 'value') === '0')
      report("This parameter group lets clients connect without TLS: set rds.force_ssl to '1'.");
  }
}

/** true when the value is true or not known yet (it will be checked again at `pulumi up`). */
const isTrueOrUnknown = (value: unknown) => value === true || value === unknown;

export const dataStoreEncryption: ResourceValidationPolicy = {
  name: 'data-store-encryption',
  description:
    'Managed databases and caches are encrypted at rest (RDS, Aurora, ElastiCache; Cloud SQL and Memorystore always are) and databases refuse unencrypted connections (Cloud SQL sslMode, RDS parameter groups keep rds.force_ssl on; Redis in transit: redis-tls). Mandatory: encryption at rest cannot be turned on after creation, and the stores hold API keys and sessions.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [aws.rdsInstance]: (props, report) => {
      if (!isTrueOrUnknown(read(props, 'storageEncrypted')))
        report(
          'RDS storage is not encrypted: set storageEncrypted: true (it cannot be changed later).',
        );
    },
    [aws.rdsCluster]: (props, report) => {
      if (!isTrueOrUnknown(read(props, 'storageEncrypted')))
        report(
          'Aurora storage is not encrypted: set storageEncrypted: true (it cannot be changed later).',
        );
    },
    [aws.rdsParameterGroup]: checkForceSsl,
    [aws.rdsClusterParameterGroup]: checkForceSsl,
    [aws.elasticacheReplicationGroup]: (props, report) => {
      if (!isTrueOrUnknown(read(props, 'atRestEncryptionEnabled')))
        report(
          'ElastiCache data at rest is not encrypted: set atRestEncryptionEnabled: true (it cannot be changed later).',
        );
    },
    [aws.elasticacheCluster]: (props, report) => {
      // A member of a replication group inherits the group's settings, which are checked there.
      if (read(props, 'replicationGroupId') !== undefined) return;
      if (read(props, 'engine') !== 'memcached')
        report(
          'A standalone ElastiCache Redis/Valkey cluster cannot encrypt data at rest: use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true.',
        );
    },
    [gcp.sqlInstance]: (props, report) => {
      // Cloud SQL always encrypts at rest; in transit only when the instance refuses plaintext.
      const sslMode = read(props, 'settings.ipConfiguration.sslMode');
      const requireSsl = read(props, 'settings.ipConfiguration.requireSsl');
      if (sslMode === unknown || requireSsl === unknown) return;
      if (!encryptedOnlySslModes.includes(sslMode as string) && requireSsl !== true)
        report(
          "Cloud SQL accepts unencrypted connections: set settings.ipConfiguration.sslMode: 'ENCRYPTED_ONLY'.",
        );
    },
  }),
};
