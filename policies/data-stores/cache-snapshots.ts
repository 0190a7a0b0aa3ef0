// Caches outside dev keep snapshots. Advisory, not mandatory: edgeplane's Redis holds what it can
// rebuild (sessions expire, rate-limit windows refill, the purge sequence is in Postgres), so a lost
// cache costs a bumpy restart, not data; a platform team may still want the warning.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import { type Environment, environmentConfigProperty } from '../lib/environment.ts';
import { environmentsConfigProperty, listedEnvironment } from '../lib/listed-environments.ts';
import { read, unknown } from '../lib/props.ts';

export const defaultSnapshotEnvironments: Environment[] = ['staging', 'prod'];

export const cacheSnapshots: ResourceValidationPolicy = {
  name: 'cache-snapshots',
  description:
    'Redis caches keep snapshots in the listed environments (staging and prod by default): ElastiCache snapshotRetentionLimit of 1 day or more, Memorystore RDB or AOF persistence. Advisory: the cache holds state edgeplane can rebuild; Postgres is the source of truth.',
  enforcementLevel: 'advisory',
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      environments: environmentsConfigProperty(
        defaultSnapshotEnvironments,
        'Environments whose caches must keep snapshots.',
      ),
    },
  },
  validateResource: validateTypes({
    [aws.elasticacheReplicationGroup]: (props, report, args) => {
      if (!listedEnvironment(args, defaultSnapshotEnvironments)) return;
      const days = read(props, 'snapshotRetentionLimit');
      if (days !== unknown && !(typeof days === 'number' && days >= 1))
        report('ElastiCache keeps no snapshots: set snapshotRetentionLimit to 1 or more days.');
    },
    [gcp.redisInstance]: (props, report, args) => {
      if (!listedEnvironment(args, defaultSnapshotEnvironments)) return;
      const mode = read(props, 'persistenceConfig.persistenceMode');
      if (mode !== unknown && mode !== 'RDB' && mode !== 'AOF')
        report(
          "Memorystore keeps no snapshots: set persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'ONE_HOUR' }.",
        );
    },
  }),
};
