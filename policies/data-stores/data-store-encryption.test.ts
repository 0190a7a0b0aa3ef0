import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { dataStoreEncryption } from './data-store-encryption.ts';

const check = (type: string, props: Record<string, unknown>) =>
  verdicts(dataStoreEncryption, resourceOf(type, props));

describe('data-store-encryption', () => {
  it('passes encrypted stores as edgeplane builds them', async () => {
    expect(await check(aws.rdsInstance, { storageEncrypted: true })).toEqual([]);
    expect(await check(aws.rdsCluster, { storageEncrypted: true })).toEqual([]);
    expect(
      await check(aws.elasticacheReplicationGroup, {
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        transitEncryptionMode: 'required',
      }),
    ).toEqual([]);
    expect(
      await check(gcp.sqlInstance, {
        settings: { ipConfiguration: { sslMode: 'ENCRYPTED_ONLY' } },
      }),
    ).toEqual([]);
    expect(
      await check(gcp.sqlInstance, { settings: { ipConfiguration: { requireSsl: true } } }),
    ).toEqual([]);
    expect(
      await check(gcp.redisInstance, { transitEncryptionMode: 'SERVER_AUTHENTICATION' }),
    ).toEqual([]);
    expect(
      await check(gcp.redisCluster, {
        transitEncryptionMode: 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION',
      }),
    ).toEqual([]);
  });

  it('fails unencrypted stores, naming the setting to change', async () => {
    expect(await check(aws.rdsInstance, { storageEncrypted: false })).toEqual([
      expect.stringMatching(/^mandatory: RDS storage is not encrypted: set storageEncrypted: true/),
    ]);
    // The provider's default is unencrypted: leaving it out is a violation too.
    expect(await check(aws.rdsCluster, {})).toEqual([
      expect.stringMatching(/^mandatory: Aurora storage is not encrypted/),
    ]);
    expect(await check(aws.elasticacheReplicationGroup, {})).toEqual([
      expect.stringContaining('atRestEncryptionEnabled: true'),
      expect.stringContaining('transitEncryptionEnabled: true'),
    ]);
    expect(
      await check(aws.elasticacheReplicationGroup, {
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        transitEncryptionMode: 'preferred',
      }),
    ).toEqual([expect.stringContaining("set it to 'required'")]);
    expect(await check(aws.elasticacheCluster, { engine: 'redis' })).toEqual([
      expect.stringContaining('transitEncryptionEnabled: true'),
      expect.stringContaining('use an aws.elasticache.ReplicationGroup'),
    ]);
    expect(
      await check(gcp.sqlInstance, {
        settings: { ipConfiguration: { sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' } },
      }),
    ).toEqual([expect.stringContaining("sslMode: 'ENCRYPTED_ONLY'")]);
    expect(await check(gcp.sqlInstance, {})).toHaveLength(1);
    expect(await check(gcp.redisInstance, { transitEncryptionMode: 'DISABLED' })).toEqual([
      expect.stringContaining("'SERVER_AUTHENTICATION'"),
    ]);
    expect(await check(gcp.redisCluster, {})).toHaveLength(1);
  });

  it('leaves replication group members to their group and ignores other types', async () => {
    expect(await check(aws.elasticacheCluster, { replicationGroupId: 'group' })).toEqual([]);
    expect(await check('aws:s3/bucket:Bucket', { storageEncrypted: false })).toEqual([]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    const unknowns = {
      storageEncrypted: unknownDuringPreview,
      atRestEncryptionEnabled: unknownDuringPreview,
      transitEncryptionEnabled: unknownDuringPreview,
      transitEncryptionMode: unknownDuringPreview,
      settings: unknownDuringPreview,
    };
    for (const type of [
      aws.rdsInstance,
      aws.elasticacheReplicationGroup,
      gcp.sqlInstance,
      gcp.redisInstance,
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
