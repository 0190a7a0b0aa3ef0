// Cloud policies (data stores, prod protection, EKS, GKE, instance classes, labels/tags).
import type { Policies } from '@pulumi/policy';
import { cacheAuth } from './data-stores/cache-auth.ts';
import { cacheSnapshots } from './data-stores/cache-snapshots.ts';
import { dataStoreEncryption } from './data-stores/data-store-encryption.ts';
import { dataStorePrivateNetwork } from './data-stores/data-store-private-network.ts';
import { databaseBackups } from './data-stores/database-backups.ts';
import { inClusterStoreVolumes } from './data-stores/in-cluster-store-volumes.ts';
import { eksControlPlaneLogging } from './eks/eks-control-plane-logging.ts';
import { eksPrivateEndpoint } from './eks/eks-private-endpoint.ts';
import { eksSecretsEncryption } from './eks/eks-secrets-encryption.ts';
import { gkeNodeAutoUpgradeRepair } from './gke/gke-node-auto-upgrade-repair.ts';
import { gkePrivateCluster } from './gke/gke-private-cluster.ts';
import { gkeReleaseChannel } from './gke/gke-release-channel.ts';
import { gkeShieldedNodes } from './gke/gke-shielded-nodes.ts';
import { gkeWorkloadIdentity } from './gke/gke-workload-identity.ts';
import { allowedInstanceClasses } from './instances/allowed-instance-classes.ts';
import { prodDeletionProtection } from './protection/prod-deletion-protection.ts';
import { prodProtect } from './protection/prod-protect.ts';
import { awsRequiredTags } from './tags/aws-required-tags.ts';
import { gcpRequiredLabels } from './tags/gcp-required-labels.ts';
import { kubernetesRequiredLabels } from './tags/kubernetes-required-labels.ts';

export const cloudPolicies: Policies = [
  dataStoreEncryption,
  dataStorePrivateNetwork,
  cacheAuth,
  databaseBackups,
  cacheSnapshots,
  inClusterStoreVolumes,
  prodDeletionProtection,
  prodProtect,
  eksPrivateEndpoint,
  eksControlPlaneLogging,
  eksSecretsEncryption,
  gkePrivateCluster,
  gkeWorkloadIdentity,
  gkeShieldedNodes,
  gkeReleaseChannel,
  gkeNodeAutoUpgradeRepair,
  allowedInstanceClasses,
  awsRequiredTags,
  gcpRequiredLabels,
  kubernetesRequiredLabels,
];
