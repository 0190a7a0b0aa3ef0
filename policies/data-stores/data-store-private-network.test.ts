import { aws, gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { dataStorePrivateNetwork } from './data-store-private-network.ts';

const check = (type: string, props: Record<string, unknown>) =>
  verdicts(dataStorePrivateNetwork, resourceOf(type, props));

const privateCloudSql = {
  settings: {
    ipConfiguration: { ipv4Enabled: false, privateNetwork: 'projects/p/global/networks/vpc' },
  },
};

describe('data-store-private-network', () => {
  it('passes private stores', async () => {
    expect(
      await check(aws.rdsInstance, { publiclyAccessible: false, dbSubnetGroupName: 'private' }),
    ).toEqual([]);
    expect(await check(aws.rdsInstance, { dbSubnetGroupName: 'private' })).toEqual([]);
    expect(await check(aws.rdsInstance, { replicateSourceDb: 'primary' })).toEqual([]);
    expect(await check(aws.rdsClusterInstance, { publiclyAccessible: false })).toEqual([]);
    expect(await check(aws.elasticacheReplicationGroup, { subnetGroupName: 'private' })).toEqual(
      [],
    );
    expect(await check(gcp.sqlInstance, privateCloudSql)).toEqual([]);
    expect(
      await check(gcp.redisInstance, {
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        authorizedNetwork: 'projects/p/global/networks/vpc',
      }),
    ).toEqual([]);
  });

  it('fails public or default-network stores', async () => {
    expect(
      await check(aws.rdsInstance, { publiclyAccessible: true, dbSubnetGroupName: 'public' }),
    ).toEqual(['mandatory: RDS instance is publicly accessible: set publiclyAccessible: false.']);
    expect(await check(aws.rdsInstance, {})).toEqual([
      expect.stringContaining('set dbSubnetGroupName'),
    ]);
    expect(await check(aws.rdsClusterInstance, { publiclyAccessible: true })).toHaveLength(1);
    expect(await check(aws.rdsCluster, {})).toEqual([
      expect.stringContaining('Aurora cluster has no DB subnet group'),
    ]);
    expect(await check(aws.elasticacheCluster, { engine: 'memcached' })).toEqual([
      expect.stringContaining('ElastiCache cluster has no subnet group'),
    ]);
    expect(await check(aws.elasticacheReplicationGroup, {})).toEqual([
      expect.stringContaining('set subnetGroupName'),
    ]);
    // Public IP by the provider's default, and an authorized network open to everyone.
    expect(
      await check(gcp.sqlInstance, {
        settings: {
          ipConfiguration: { authorizedNetworks: [{ name: 'all', value: '0.0.0.0/0' }] },
        },
      }),
    ).toEqual([
      expect.stringContaining('Cloud SQL has a public IP'),
      expect.stringContaining('authorizes 0.0.0.0/0, the whole internet'),
    ]);
    expect(
      await check(gcp.sqlInstance, { settings: { ipConfiguration: { ipv4Enabled: false } } }),
    ).toEqual([expect.stringContaining('Cloud SQL has no private network')]);
    expect(await check(gcp.redisInstance, { connectMode: 'DIRECT_PEERING' })).toEqual([
      expect.stringContaining("connectMode: 'PRIVATE_SERVICE_ACCESS'"),
    ]);
    expect(await check(gcp.redisInstance, { connectMode: 'PRIVATE_SERVICE_ACCESS' })).toEqual([
      expect.stringContaining('set authorizedNetwork'),
    ]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await check(aws.rdsInstance, {
        publiclyAccessible: unknownDuringPreview,
        dbSubnetGroupName: unknownDuringPreview,
      }),
    ).toEqual([]);
    expect(
      await check(aws.elasticacheReplicationGroup, { subnetGroupName: unknownDuringPreview }),
    ).toEqual([]);
    expect(
      await check(gcp.sqlInstance, {
        settings: {
          ipConfiguration: {
            ipv4Enabled: false,
            privateNetwork: unknownDuringPreview,
            authorizedNetworks: unknownDuringPreview,
          },
        },
      }),
    ).toEqual([]);
    expect(
      await check(gcp.redisInstance, {
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        authorizedNetwork: unknownDuringPreview,
      }),
    ).toEqual([]);
  });
});
