// GKE cluster and node pool inputs as edgeplane's GkeCluster component sets them (components/cluster/gke.ts),
// for the GKE policy tests to start from and break one setting at a time.
export const hardenedCluster = {
  privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
  masterAuthorizedNetworksConfig: {
    cidrBlocks: [{ cidrBlock: '203.0.113.0/24', displayName: 'office' }],
    gcpPublicCidrsAccessEnabled: false,
  },
  workloadIdentityConfig: { workloadPool: 'edgeplane-staging.svc.id.goog' },
  releaseChannel: { channel: 'REGULAR' },
  enableShieldedNodes: true,
  removeDefaultNodePool: true,
  nodeConfig: {
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
  },
  resourceLabels: { 'part-of': 'edgeplane', environment: 'staging' },
};

export const hardenedNodePool = {
  management: { autoRepair: true, autoUpgrade: true },
  nodeConfig: {
    machineType: 'n2-standard-2',
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    resourceLabels: { 'part-of': 'edgeplane', environment: 'staging' },
  },
};
