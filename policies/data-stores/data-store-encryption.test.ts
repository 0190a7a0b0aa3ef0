import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { dataStoreEncryption } from './data-store-encryption.ts';

const check = (type: string, props: Record<string, unknown>) =>
  verdicts(dataStoreEncryption, resourceOf(type, props));

describe('data-store-encryption', () => {
  it('passes encrypted stores as edgeplane builds them', async () => {
    expect(await check(aws.rdsInstance, { storageEncrypted: true })).toEqual([]);
    expect(await check(aws.rdsCluster, { storageEncrypted: true })).toEqual([]);
    expect(await check(aws.elasticacheReplicationGroup, { atRestEncryptionEnabled: true })).toEqual(
      [],
    );
    expect(
      await check(gcp.sqlInstance, {
        settings: { ipConfiguration: { sslMode: 'ENCRYPTED_ONLY' } },
      }),
    ).toEqual([]);
    expect(
      await check(gcp.sqlInstance, { settings: { ipConfiguration: { requireSsl: true } } }),
    ).toEqual([]);
  });

  it('fails unencrypted stores, naming the setting to change', async () => {
    expect(await check(aws.rdsInstance, { storageEncrypted: false })).toEqual([
      'mandatory: RDS storage is not encrypted: set storageEncrypted: true (it cannot be changed later).',
    ]);
    // The provider's default is unencrypted: leaving it out is a violation too.
    expect(await check(aws.rdsCluster, {})).toEqual([
      expect.stringMatching(/^mandatory: Aurora storage is not encrypted/),
    ]);
    expect(await check(aws.elasticacheReplicationGroup, {})).toEqual([
      expect.stringContaining('set atRestEncryptionEnabled: true'),
    ]);
    expect(await check(aws.elasticacheCluster, { engine: 'redis' })).toEqual([
      expect.stringContaining('use an aws.elasticache.ReplicationGroup'),
    ]);
    expect(
      await check(gcp.sqlInstance, {
        settings: { ipConfiguration: { sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' } },
      }),
    ).toEqual([expect.stringContaining("sslMode: 'ENCRYPTED_ONLY'")]);
    expect(await check(gcp.sqlInstance, {})).toHaveLength(1);
    expect(
      await check(aws.rdsParameterGroup, {
        family: 'postgres17',
        parameters: [{ name: 'rds.force_ssl', value: '0' }],
      }),
    ).toEqual([
      "mandatory: This parameter group lets clients connect without TLS: set rds.force_ssl to '1'.",
    ]);
  });

  it('passes parameter groups that keep TLS forced', async () => {
    expect(
      await check(aws.rdsParameterGroup, {
        family: 'postgres17',
        parameters: [{ name: 'rds.force_ssl', value: '1' }],
      }),
    ).toEqual([]);
    expect(await check(aws.rdsClusterParameterGroup, { family: 'aurora-postgresql16' })).toEqual(
      [],
    );
    expect(await check(aws.rdsParameterGroup, { parameters: unknownDuringPreview })).toEqual([]);
  });

  it('leaves replication group members to their group, Redis in transit to redis-tls, other types alone', async () => {
    expect(await check(aws.elasticacheCluster, { replicationGroupId: 'group' })).toEqual([]);
    expect(await check(aws.elasticacheCluster, { engine: 'memcached' })).toEqual([]);
    expect(await check(gcp.redisInstance, { transitEncryptionMode: 'DISABLED' })).toEqual([]);
    expect(await check('aws:s3/bucket:Bucket', { storageEncrypted: false })).toEqual([]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    const unknowns = {
      storageEncrypted: unknownDuringPreview,
      atRestEncryptionEnabled: unknownDuringPreview,
      settings: unknownDuringPreview,
    };
    for (const type of [
      aws.rdsInstance,
      aws.rdsCluster,
      aws.elasticacheReplicationGroup,
      gcp.sqlInstance,
    ]) {
      expect(await check(type, unknowns)).toEqual([]);
    }
    expect(
      await check(gcp.sqlInstance, {
        settings: { ipConfiguration: { sslMode: unknownDuringPreview } },
      }),
    ).toEqual([]);
  });
});
