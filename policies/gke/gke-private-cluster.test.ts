import { gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { hardenedCluster, hardenedNodePool } from './gke-fixtures.ts';
import { gkePrivateCluster } from './gke-private-cluster.ts';

const cluster = (props: Record<string, unknown>) =>
  verdicts(gkePrivateCluster, resourceOf(gcp.gkeCluster, { ...hardenedCluster, ...props }));

describe('gke-private-cluster', () => {
  it('passes private nodes behind authorized networks or a private endpoint', async () => {
    expect(await cluster({})).toEqual([]);
    expect(
      await cluster({
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
        masterAuthorizedNetworksConfig: undefined,
      }),
    ).toEqual([]);
    expect(
      await verdicts(gkePrivateCluster, resourceOf(gcp.gkeNodePool, hardenedNodePool)),
    ).toEqual([]);
  });

  it('fails public nodes and a control plane open to the world', async () => {
    expect(
      await cluster({ privateClusterConfig: undefined, masterAuthorizedNetworksConfig: undefined }),
    ).toEqual([
      expect.stringMatching(
        /^mandatory: GKE nodes get public IPs: set privateClusterConfig.enablePrivateNodes: true/,
      ),
      expect.stringContaining('answers the whole internet'),
    ]);
    expect(
      await cluster({
        masterAuthorizedNetworksConfig: {
          cidrBlocks: [{ cidrBlock: '0.0.0.0/0' }],
          gcpPublicCidrsAccessEnabled: true,
        },
      }),
    ).toEqual([
      expect.stringContaining('authorizes 0.0.0.0/0'),
      expect.stringContaining('gcpPublicCidrsAccessEnabled: false'),
    ]);
    expect(
      await verdicts(
        gkePrivateCluster,
        resourceOf(gcp.gkeNodePool, {
          ...hardenedNodePool,
          networkConfig: { enablePrivateNodes: false },
        }),
      ),
    ).toHaveLength(1);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(
      await cluster({
        privateClusterConfig: unknownDuringPreview,
        masterAuthorizedNetworksConfig: unknownDuringPreview,
      }),
    ).toEqual([]);
    expect(
      await cluster({ masterAuthorizedNetworksConfig: { cidrBlocks: unknownDuringPreview } }),
    ).toEqual([]);
    expect(
      await cluster({
        masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: unknownDuringPreview }] },
      }),
    ).toEqual([]);
  });
});
