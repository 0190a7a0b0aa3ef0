// Managed Postgres and Redis encrypt what they store and what they send. Mandatory: an unencrypted
// database or cache cannot be fixed in place (RDS and ElastiCache encryption at rest is chosen at
// creation), and edgeplane's stores hold tenants' API keys, sessions and purge history.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import { read, unknown } from '../lib/props.ts';

/** Cloud SQL SSL modes that refuse unencrypted connections. */
const encryptedOnlySslModes = ['ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'];

/** true when the value is true or not known yet (it will be checked again at `pulumi up`). */
const isTrueOrUnknown = (value: unknown) => value === true || value === unknown;

export const dataStoreEncryption: ResourceValidationPolicy = {
  name: 'data-store-encryption',
  description:
    'Managed databases and caches are encrypted at rest and in transit (RDS, Aurora, ElastiCache, Cloud SQL, Memorystore). Mandatory: encryption at rest cannot be turned on after creation, and the stores hold API keys and sessions.',
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
    [aws.elasticacheReplicationGroup]: (props, report) => {
      if (!isTrueOrUnknown(read(props, 'atRestEncryptionEnabled')))
        report('ElastiCache data at rest is not encrypted: set atRestEncryptionEnabled: true.');
      if (!isTrueOrUnknown(read(props, 'transitEncryptionEnabled')))
        report(
          'ElastiCache accepts plaintext connections: set transitEncryptionEnabled: true (clients use rediss://).',
        );
      else if (read(props, 'transitEncryptionMode') === 'preferred')
        report(
          "ElastiCache transitEncryptionMode 'preferred' still accepts plaintext: set it to 'required'.",
        );
    },
    [aws.elasticacheCluster]: (props, report) => {
      // A member of a replication group inherits the group's settings, which are checked there.
      if (read(props, 'replicationGroupId') !== undefined) return;
      if (!isTrueOrUnknown(read(props, 'transitEncryptionEnabled')))
        report(
          'ElastiCache cluster accepts plaintext connections: set transitEncryptionEnabled: true.',
        );
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
    [gcp.redisInstance]: (props, report) => {
      const mode = read(props, 'transitEncryptionMode');
      if (mode !== unknown && mode !== 'SERVER_AUTHENTICATION')
        report(
          "Memorystore accepts plaintext connections: set transitEncryptionMode: 'SERVER_AUTHENTICATION' (TLS on port 6378).",
        );
    },
    [gcp.redisCluster]: (props, report) => {
      const mode = read(props, 'transitEncryptionMode');
      if (mode !== unknown && mode !== 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION')
        report(
          "Memorystore cluster accepts plaintext connections: set transitEncryptionMode: 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION'.",
        );
    },
  }),
};
