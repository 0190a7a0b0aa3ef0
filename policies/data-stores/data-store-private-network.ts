// Managed databases and caches are reachable only from private networks. Mandatory: a data store
// with a public address is one leaked password away from the internet, and edgeplane's clients (the
// origin pods) always reach their stores from inside the VPC.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import { read, readArray, unknown } from '../lib/props.ts';

const worldCidrs = ['0.0.0.0/0', '::/0'];

export const dataStorePrivateNetwork: ResourceValidationPolicy = {
  name: 'data-store-private-network',
  description:
    'Managed databases and caches have no public address and live in a private network: RDS and Aurora not publicly accessible and in a DB subnet group, ElastiCache in a subnet group, Cloud SQL on a private IP only with no authorized network open to the world, Memorystore through private services access. Mandatory: the stores are only ever reached from inside the VPC.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [aws.rdsInstance]: (props, report) => {
      if (read(props, 'publiclyAccessible') === true)
        report('RDS instance is publicly accessible: set publiclyAccessible: false.');
      // A read replica inherits its source's subnet group.
      if (read(props, 'replicateSourceDb') !== undefined) return;
      if (read(props, 'dbSubnetGroupName') === undefined)
        report(
          "RDS instance has no DB subnet group, so it lands in the region's default VPC: set dbSubnetGroupName to a group of private subnets.",
        );
    },
    [aws.rdsCluster]: (props, report) => {
      if (read(props, 'dbSubnetGroupName') === undefined)
        report(
          "Aurora cluster has no DB subnet group, so it lands in the region's default VPC: set dbSubnetGroupName to a group of private subnets.",
        );
    },
    [aws.rdsClusterInstance]: (props, report) => {
      if (read(props, 'publiclyAccessible') === true)
        report('Aurora instance is publicly accessible: set publiclyAccessible: false.');
    },
    [aws.elasticacheReplicationGroup]: (props, report) => {
      if (read(props, 'subnetGroupName') === undefined)
        report(
          "ElastiCache has no subnet group, so it lands in the region's default VPC: set subnetGroupName to a group of private subnets.",
        );
    },
    [aws.elasticacheCluster]: (props, report) => {
      // A member of a replication group is placed by its group.
      if (read(props, 'replicationGroupId') !== undefined) return;
      if (read(props, 'subnetGroupName') === undefined)
        report(
          "ElastiCache cluster has no subnet group, so it lands in the region's default VPC: set subnetGroupName to a group of private subnets.",
        );
    },
    [gcp.sqlInstance]: (props, report) => {
      const ipv4Enabled = read(props, 'settings.ipConfiguration.ipv4Enabled');
      // The provider's default for ipv4Enabled is true: a public IP unless switched off.
      if (ipv4Enabled !== false && ipv4Enabled !== unknown)
        report(
          'Cloud SQL has a public IP: set settings.ipConfiguration.ipv4Enabled: false and privateNetwork to your VPC.',
        );
      else if (read(props, 'settings.ipConfiguration.privateNetwork') === undefined)
        report(
          'Cloud SQL has no private network: set settings.ipConfiguration.privateNetwork to your VPC (private services access).',
        );
      const networks = readArray(props, 'settings.ipConfiguration.authorizedNetworks');
      if (networks === unknown || networks === undefined) return;
      for (const network of networks) {
        const value = read(network, 'value');
        if (typeof value === 'string' && worldCidrs.includes(value))
          report(
            `Cloud SQL authorizes ${value}, the whole internet: remove that authorized network.`,
          );
      }
    },
    [gcp.redisInstance]: (props, report) => {
      const mode = read(props, 'connectMode');
      if (mode !== unknown && mode !== 'PRIVATE_SERVICE_ACCESS')
        report(
          "Memorystore is not on private services access: set connectMode: 'PRIVATE_SERVICE_ACCESS' and authorizedNetwork to your VPC.",
        );
      else if (read(props, 'authorizedNetwork') === undefined)
        report(
          "Memorystore has no authorized network, so it joins the project's default network: set authorizedNetwork to your VPC.",
        );
    },
  }),
};
