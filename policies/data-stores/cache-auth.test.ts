import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { cacheAuth } from './cache-auth.ts';

const check = (type: string, props: Record<string, unknown>) =>
  verdicts(cacheAuth, resourceOf(type, props));

describe('cache-auth', () => {
  it('passes caches that ask for credentials', async () => {
    expect(await check(aws.elasticacheReplicationGroup, { authToken: 'token' })).toEqual([]);
    expect(await check(aws.elasticacheReplicationGroup, { userGroupIds: ['rbac'] })).toEqual([]);
    expect(await check(gcp.redisInstance, { authEnabled: true })).toEqual([]);
    expect(await check(gcp.redisCluster, { authorizationMode: 'AUTH_MODE_IAM_AUTH' })).toEqual([]);
  });

  it('fails caches open to anyone on the network', async () => {
    expect(await check(aws.elasticacheReplicationGroup, { userGroupIds: [] })).toEqual([
      expect.stringMatching(
        /^mandatory: ElastiCache lets clients in without credentials: set authToken/,
      ),
    ]);
    expect(await check(gcp.redisInstance, {})).toEqual([
      expect.stringContaining('set authEnabled: true'),
    ]);
    expect(await check(gcp.redisCluster, { authorizationMode: 'AUTH_MODE_DISABLED' })).toHaveLength(
      1,
    );
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await check(aws.elasticacheReplicationGroup, { authToken: unknownDuringPreview }),
    ).toEqual([]);
    expect(
      await check(aws.elasticacheReplicationGroup, { userGroupIds: unknownDuringPreview }),
    ).toEqual([]);
    expect(await check(gcp.redisInstance, { authEnabled: unknownDuringPreview })).toEqual([]);
  });
});
