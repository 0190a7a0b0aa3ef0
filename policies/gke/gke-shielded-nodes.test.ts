import { gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { hardenedCluster, hardenedNodePool } from './gke-fixtures.ts';
import { gkeShieldedNodes } from './gke-shielded-nodes.ts';

const cluster = (props: Record<string, unknown>) =>
  verdicts(gkeShieldedNodes, resourceOf(gcp.gkeCluster, { ...hardenedCluster, ...props }));
const pool = (nodeConfig: unknown) =>
  verdicts(gkeShieldedNodes, resourceOf(gcp.gkeNodePool, { ...hardenedNodePool, nodeConfig }));

describe('gke-shielded-nodes', () => {
  it('passes shielded nodes with Secure Boot', async () => {
    expect(await cluster({})).toEqual([]);
    expect(await cluster({ enableShieldedNodes: undefined })).toEqual([]);
    expect(await pool(hardenedNodePool.nodeConfig)).toEqual([]);
  });

  it('fails shielded nodes turned off and pools without Secure Boot', async () => {
    expect(await cluster({ enableShieldedNodes: false })).toEqual([
      'mandatory: GKE cluster has Shielded GKE Nodes off: set enableShieldedNodes: true.',
    ]);
    // Secure Boot is off by default: a pool that says nothing fails.
    expect(await pool({ machineType: 'n2-standard-2' })).toEqual([
      expect.stringContaining('enableSecureBoot: true'),
    ]);
    expect(
      await pool({
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: false },
      }),
    ).toEqual([expect.stringContaining('integrity monitoring off')]);
    expect(await cluster({ removeDefaultNodePool: false, nodeConfig: {} })).toEqual([
      expect.stringContaining('The default node pool boots without Secure Boot'),
    ]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await cluster({ enableShieldedNodes: unknownDuringPreview })).toEqual([]);
    expect(await pool(unknownDuringPreview)).toEqual([]);
    expect(
      await pool({ shieldedInstanceConfig: { enableSecureBoot: unknownDuringPreview } }),
    ).toEqual([]);
  });
});
