// Type tokens of the cloud resources the cloud policies check. Policies compare `args.type` with these
// instead of importing @pulumi/aws or @pulumi/gcp for `validateResourceOfType`: loading a provider
// SDK costs the pack's process ~85 MB and 1-2 s per cloud, for a string it can compare directly.
export const aws = {
  rdsInstance: 'aws:rds/instance:Instance',
  rdsCluster: 'aws:rds/cluster:Cluster',
  rdsClusterInstance: 'aws:rds/clusterInstance:ClusterInstance',
  rdsParameterGroup: 'aws:rds/parameterGroup:ParameterGroup',
  rdsClusterParameterGroup: 'aws:rds/clusterParameterGroup:ClusterParameterGroup',
  elasticacheReplicationGroup: 'aws:elasticache/replicationGroup:ReplicationGroup',
  elasticacheCluster: 'aws:elasticache/cluster:Cluster',
  eksCluster: 'aws:eks/cluster:Cluster',
  eksNodeGroup: 'aws:eks/nodeGroup:NodeGroup',
  launchTemplate: 'aws:ec2/launchTemplate:LaunchTemplate',
  kmsKey: 'aws:kms/key:Key',
  route53Zone: 'aws:route53/zone:Zone',
} as const;

export const gcp = {
  sqlInstance: 'gcp:sql/databaseInstance:DatabaseInstance',
  redisInstance: 'gcp:redis/instance:Instance',
  redisCluster: 'gcp:redis/cluster:Cluster',
  gkeCluster: 'gcp:container/cluster:Cluster',
  gkeNodePool: 'gcp:container/nodePool:NodePool',
  kmsCryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
  dnsManagedZone: 'gcp:dns/managedZone:ManagedZone',
} as const;

export const kubernetes = {
  statefulSet: 'kubernetes:apps/v1:StatefulSet',
  storageClass: 'kubernetes:storage.k8s.io/v1:StorageClass',
  persistentVolumeClaim: 'kubernetes:core/v1:PersistentVolumeClaim',
} as const;
