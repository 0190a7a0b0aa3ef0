// Redis caches ask every client for credentials. Mandatory: without AUTH anyone who reaches the
// network can read sessions and publish fake purges on the origin's bus.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import { read, readArray, unknown } from '../lib/props.ts';

export const cacheAuth: ResourceValidationPolicy = {
  name: 'cache-auth',
  description:
    'Managed Redis requires authentication: ElastiCache an AUTH token or RBAC user groups, Memorystore AUTH (authEnabled) or IAM auth for clusters. Mandatory: the cache carries sessions and the purge bus.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [aws.elasticacheReplicationGroup]: (props, report) => {
      if (read(props, 'authToken') !== undefined) return;
      const userGroups = readArray(props, 'userGroupIds');
      if (userGroups === unknown || (userGroups !== undefined && userGroups.length > 0)) return;
      report(
        'ElastiCache lets clients in without credentials: set authToken (a pulumi secret, 16-128 characters) or userGroupIds for RBAC.',
      );
    },
    [gcp.redisInstance]: (props, report) => {
      const authEnabled = read(props, 'authEnabled');
      if (authEnabled !== true && authEnabled !== unknown)
        report(
          'Memorystore lets clients in without credentials: set authEnabled: true (the AUTH string is an output; keep it secret).',
        );
    },
    [gcp.redisCluster]: (props, report) => {
      const mode = read(props, 'authorizationMode');
      if (mode !== 'AUTH_MODE_IAM_AUTH' && mode !== unknown)
        report(
          "Memorystore cluster lets clients in without credentials: set authorizationMode: 'AUTH_MODE_IAM_AUTH'.",
        );
    },
  }),
};
