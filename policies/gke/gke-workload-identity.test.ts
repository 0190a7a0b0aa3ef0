import { gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { hardenedCluster, hardenedNodePool } from './gke-fixtures.ts';
import { gkeWorkloadIdentity } from './gke-workload-identity.ts';

const cluster = (props: Record<string, unknown>) =>
  verdicts(gkeWorkloadIdentity, resourceOf(gcp.gkeCluster, { ...hardenedCluster, ...props }));
const pool = (nodeConfig: unknown) =>
  verdicts(gkeWorkloadIdentity, resourceOf(gcp.gkeNodePool, { ...hardenedNodePool, nodeConfig }));

describe('gke-workload-identity', () => {
  it('passes Workload Identity with the GKE metadata server', async () => {
    expect(await cluster({})).toEqual([]);
    expect(await pool(hardenedNodePool.nodeConfig)).toEqual([]);
    // A pool that says nothing follows the cluster.
    expect(await pool({ machineType: 'n2-standard-2' })).toEqual([]);
    expect(await cluster({ enableAutopilot: true, workloadIdentityConfig: undefined })).toEqual([]);
  });

  it('fails clusters without it and pools that expose node credentials', async () => {
    expect(await cluster({ workloadIdentityConfig: undefined })).toEqual([
      expect.stringMatching(/^mandatory: GKE cluster has no Workload Identity/),
    ]);
    expect(await pool({ workloadMetadataConfig: { mode: 'GCE_METADATA' } })).toEqual([
      expect.stringContaining(
        "This node pool exposes the node's credentials to pods (workloadMetadataConfig.mode GCE_METADATA)",
      ),
    ]);
    // The default pool counts while it is kept.
    expect(
      await cluster({
        removeDefaultNodePool: false,
        nodeConfig: { workloadMetadataConfig: { mode: 'GCE_METADATA' } },
      }),
    ).toEqual([expect.stringContaining('The default node pool')]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await cluster({ workloadIdentityConfig: { workloadPool: unknownDuringPreview } }),
    ).toEqual([]);
    expect(await cluster({ workloadIdentityConfig: unknownDuringPreview })).toEqual([]);
    expect(await pool(unknownDuringPreview)).toEqual([]);
  });
});
