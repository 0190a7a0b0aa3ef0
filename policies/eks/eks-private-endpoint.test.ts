import { aws } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { eksPrivateEndpoint } from './eks-private-endpoint.ts';

const check = (vpcConfig: unknown) =>
  verdicts(eksPrivateEndpoint, resourceOf(aws.eksCluster, { vpcConfig }));

describe('eks-private-endpoint', () => {
  it('passes a private endpoint, public only for an allowlist or not at all', async () => {
    expect(await check({ endpointPrivateAccess: true, endpointPublicAccess: false })).toEqual([]);
    expect(
      await check({
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      }),
    ).toEqual([]);
  });

  it('fails the provider defaults and world-open allowlists', async () => {
    expect(await check({})).toEqual([
      expect.stringMatching(/^mandatory: The EKS API has no private endpoint/),
      expect.stringContaining('no publicAccessCidrs means 0.0.0.0/0'),
    ]);
    expect(
      await check({
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'],
      }),
    ).toEqual([expect.stringContaining('publicAccessCidrs has 0.0.0.0/0')]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check(unknownDuringPreview)).toEqual([]);
    expect(
      await check({
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: unknownDuringPreview,
      }),
    ).toEqual([]);
    expect(
      await check({
        endpointPrivateAccess: unknownDuringPreview,
        endpointPublicAccess: unknownDuringPreview,
      }),
    ).toEqual([]);
  });
});
