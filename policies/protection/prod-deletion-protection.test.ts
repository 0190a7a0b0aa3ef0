import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { prodDeletionProtection } from './prod-deletion-protection.ts';

const awsTags = (environment: string) => ({ tags: { 'edgeplane:environment': environment } });
const gcpLabels = (environment: string) => ({ labels: { environment } });
const check = (type: string, props: Record<string, unknown>, config?: Record<string, unknown>) =>
  verdicts(prodDeletionProtection, resourceOf(type, props), config);

describe('prod-deletion-protection', () => {
  it('passes protected prod stores and clusters', async () => {
    expect(
      await check(aws.rdsInstance, {
        deletionProtection: true,
        skipFinalSnapshot: false,
        ...awsTags('prod'),
      }),
    ).toEqual([]);
    expect(await check(aws.rdsCluster, { deletionProtection: true, ...awsTags('prod') })).toEqual(
      [],
    );
    expect(
      await check(gcp.sqlInstance, {
        deletionProtection: true,
        settings: { deletionProtectionEnabled: true, userLabels: { environment: 'prod' } },
      }),
    ).toEqual([]);
    expect(
      await check(gcp.redisInstance, { deletionProtection: true, ...gcpLabels('prod') }),
    ).toEqual([]);
    expect(
      await check(gcp.redisCluster, { deletionProtectionEnabled: true, ...gcpLabels('prod') }),
    ).toEqual([]);
    // GKE's provider protects clusters unless told otherwise.
    expect(await check(gcp.gkeCluster, { resourceLabels: { environment: 'prod' } })).toEqual([]);
  });

  it('leaves dev and staging alone unless configured', async () => {
    expect(
      await check(aws.rdsInstance, { deletionProtection: false, ...awsTags('staging') }),
    ).toEqual([]);
    expect(await check(gcp.redisInstance, gcpLabels('dev'))).toEqual([]);
    expect(
      await check(aws.rdsInstance, awsTags('staging'), { environments: ['staging', 'prod'] }),
    ).toHaveLength(1);
  });

  it('fails deletable prod stores and clusters, naming the flag', async () => {
    expect(
      await check(aws.rdsInstance, {
        deletionProtection: false,
        skipFinalSnapshot: true,
        ...awsTags('prod'),
      }),
    ).toEqual([
      'mandatory: RDS instance in prod can be deleted: set deletionProtection: true.',
      'mandatory: RDS instance in prod would be deleted without a final snapshot: set skipFinalSnapshot: false and a finalSnapshotIdentifier.',
    ]);
    expect(await check(aws.rdsCluster, awsTags('prod'))).toEqual([
      expect.stringContaining('Aurora cluster in prod can be deleted'),
    ]);
    expect(
      await check(gcp.sqlInstance, {
        deletionProtection: false,
        settings: { userLabels: { environment: 'prod' } },
      }),
    ).toEqual([
      expect.stringContaining('set deletionProtection: true'),
      expect.stringContaining('set settings.deletionProtectionEnabled: true'),
    ]);
    expect(await check(gcp.redisInstance, gcpLabels('prod'))).toHaveLength(1);
    expect(await check(gcp.redisCluster, gcpLabels('prod'))).toHaveLength(1);
    expect(
      await check(gcp.gkeCluster, {
        deletionProtection: false,
        resourceLabels: { environment: 'prod' },
      }),
    ).toEqual([
      'mandatory: GKE cluster in prod can be deleted by Pulumi: set deletionProtection: true.',
    ]);
    // Nothing says which environment: prod's rules apply.
    expect(await check(aws.rdsInstance, {})).toHaveLength(1);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await check(aws.rdsInstance, {
        deletionProtection: unknownDuringPreview,
        skipFinalSnapshot: unknownDuringPreview,
      }),
    ).toEqual([]);
    expect(
      await check(gcp.sqlInstance, {
        deletionProtection: unknownDuringPreview,
        settings: unknownDuringPreview,
      }),
    ).toEqual([]);
    expect(await check(gcp.gkeCluster, { deletionProtection: unknownDuringPreview })).toEqual([]);
  });
});
