// The home region's managed data stores: Cloud SQL for PostgreSQL and Memorystore for Redis, both
// reached only through the VPC's private services access.
import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { MemorystoreRedis } from '../../components/cache/memorystore.ts';
import { CloudSqlPostgres } from '../../components/database/cloudsql.ts';
import type { GcpNetwork } from '../../components/network/gcp-network.ts';
import type { StackConfig } from '../config.ts';

export function homeDataStores(args: {
  config: StackConfig;
  project: string;
  region: string;
  gcpProvider: gcp.Provider;
  network: GcpNetwork;
  parent: pulumi.Resource;
}): { postgres: CloudSqlPostgres; redis: MemorystoreRedis } {
  const { config, project, region, gcpProvider, network } = args;
  const placement = {
    project,
    region,
    gcpProvider,
    network: network.network.id,
    privateServices: network.privateServices,
    environment: config.environment,
  };
  const postgres = new CloudSqlPostgres(
    'database',
    {
      ...placement,
      version: config.database.version,
      size: config.database.size,
      storageGb: config.database.storageGb,
      backupRetentionDays: config.database.backupRetentionDays,
      highlyAvailable: config.database.multiAz,
      deletionProtection: config.database.deletionProtection,
      protect: config.database.protect,
    },
    { parent: args.parent },
  );
  const redis = new MemorystoreRedis(
    'cache',
    {
      ...placement,
      size: config.cache.size,
      highlyAvailable: config.cache.multiAz,
      readReplicas: config.cache.replicas,
      protect: config.database.protect,
    },
    { parent: args.parent },
  );
  return { postgres, redis };
}
