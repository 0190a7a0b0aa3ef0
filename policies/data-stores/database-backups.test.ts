import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { databaseBackups } from './database-backups.ts';

const prodTags = { 'edgeplane:environment': 'prod' };
const devTags = { 'edgeplane:environment': 'dev' };
const cloudSql = (backupConfiguration: Record<string, unknown>, environment = 'staging') => ({
  settings: { backupConfiguration, userLabels: { environment } },
});

describe('database-backups', () => {
  it('passes retention that meets the environment minimum', async () => {
    const check = (props: Record<string, unknown>) =>
      verdicts(databaseBackups, resourceOf(aws.rdsInstance, props));
    expect(await check({ backupRetentionPeriod: 14, tags: prodTags })).toEqual([]);
    expect(await check({ backupRetentionPeriod: 1, tags: devTags })).toEqual([]);
    expect(await check({ replicateSourceDb: 'primary', tags: prodTags })).toEqual([]);
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(gcp.sqlInstance, cloudSql({ enabled: true, pointInTimeRecoveryEnabled: true })),
      ),
    ).toEqual([]);
    // Dev needs no point-in-time recovery by default; the cloud's default of 7 backups is enough.
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(gcp.sqlInstance, cloudSql({ enabled: true }, 'dev')),
      ),
    ).toEqual([]);
  });

  it('fails short or missing backups, naming the key and the minimum', async () => {
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(aws.rdsInstance, { backupRetentionPeriod: 3, tags: prodTags }),
      ),
    ).toEqual([
      'mandatory: RDS keeps backups for 3, fewer than 7 in prod: set backupRetentionPeriod: 7 or more.',
    ]);
    expect(await verdicts(databaseBackups, resourceOf(aws.rdsCluster, { tags: prodTags }))).toEqual(
      [expect.stringContaining('unset (the cloud keeps 1), fewer than 7 in prod')],
    );
    expect(
      await verdicts(databaseBackups, resourceOf(gcp.sqlInstance, cloudSql({ enabled: false }))),
    ).toEqual([expect.stringContaining('settings.backupConfiguration.enabled: true')]);
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(
          gcp.sqlInstance,
          cloudSql({ enabled: true, backupRetentionSettings: { retainedBackups: 3 } }, 'prod'),
        ),
      ),
    ).toEqual([
      expect.stringContaining('in prod has no point-in-time recovery'),
      expect.stringContaining('retainedBackups: 7 or more'),
    ]);
  });

  it('learns the environment from config, own tags, then the provider; prod when nothing says', async () => {
    const short = { backupRetentionPeriod: 3 };
    const provider = (environment: string) => ({
      type: 'pulumi:providers:aws',
      name: 'aws-us-east-1',
      urn: 'urn:pulumi:test::edgeplane::pulumi:providers:aws::aws-us-east-1',
      // The SDK sends object-valued provider inputs JSON-encoded.
      props: { defaultTags: JSON.stringify({ tags: { 'edgeplane:environment': environment } }) },
    });
    expect(await verdicts(databaseBackups, resourceOf(aws.rdsInstance, short))).toHaveLength(1);
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(aws.rdsInstance, short, { provider: provider('dev') }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(databaseBackups, resourceOf(aws.rdsInstance, { ...short, tags: devTags }), {
        environment: 'prod',
      }),
    ).toHaveLength(1);
    expect(
      await verdicts(databaseBackups, resourceOf(aws.rdsInstance, { ...short, tags: prodTags }), {
        minRetentionDays: { prod: 3 },
      }),
    ).toEqual([]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(aws.rdsInstance, {
          backupRetentionPeriod: unknownDuringPreview,
          tags: unknownDuringPreview,
        }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(gcp.sqlInstance, {
          settings: { backupConfiguration: { enabled: unknownDuringPreview } },
        }),
      ),
    ).toEqual([]);
    expect(
      await verdicts(
        databaseBackups,
        resourceOf(
          gcp.sqlInstance,
          cloudSql({
            enabled: true,
            pointInTimeRecoveryEnabled: unknownDuringPreview,
            backupRetentionSettings: unknownDuringPreview,
          }),
        ),
      ),
    ).toEqual([]);
  });
});
