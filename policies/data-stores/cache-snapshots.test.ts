import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { cacheSnapshots } from './cache-snapshots.ts';

const tags = (environment: string) => ({ tags: { 'edgeplane:environment': environment } });
const labels = (environment: string) => ({ labels: { environment } });

describe('cache-snapshots', () => {
  it('passes caches with snapshots, and dev caches without', async () => {
    expect(
      await verdicts(
        cacheSnapshots,
        resourceOf(aws.elasticacheReplicationGroup, { snapshotRetentionLimit: 7, ...tags('prod') }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        cacheSnapshots,
        resourceOf(gcp.redisInstance, {
          persistenceConfig: { persistenceMode: 'RDB' },
          ...labels('staging'),
        }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(cacheSnapshots, resourceOf(aws.elasticacheReplicationGroup, tags('dev'))),
    ).toEqual([]);
  });

  it('warns (advisory) about caches without snapshots', async () => {
    expect(
      await verdicts(
        cacheSnapshots,
        resourceOf(aws.elasticacheReplicationGroup, { snapshotRetentionLimit: 0, ...tags('prod') }),
      ),
    ).toEqual([
      'advisory: ElastiCache keeps no snapshots: set snapshotRetentionLimit to 1 or more days.',
    ]);
    expect(
      await verdicts(
        cacheSnapshots,
        resourceOf(gcp.redisInstance, {
          persistenceConfig: { persistenceMode: 'DISABLED' },
          ...labels('prod'),
        }),
      ),
    ).toEqual([expect.stringMatching(/^advisory: Memorystore keeps no snapshots/)]);
    // Configured to cover dev too.
    expect(
      await verdicts(cacheSnapshots, resourceOf(gcp.redisInstance, labels('dev')), {
        environments: ['dev', 'staging', 'prod'],
      }),
    ).toHaveLength(1);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await verdicts(
        cacheSnapshots,
        resourceOf(aws.elasticacheReplicationGroup, {
          snapshotRetentionLimit: unknownDuringPreview,
          tags: unknownDuringPreview,
        }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        cacheSnapshots,
        resourceOf(gcp.redisInstance, {
          persistenceConfig: unknownDuringPreview,
          ...labels('prod'),
        }),
      ),
    ).toEqual([]);
  });
});
