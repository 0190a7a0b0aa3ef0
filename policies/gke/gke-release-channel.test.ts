import { gcp } from '../lib/cloud-types.ts';
import { resourceOf, unknownDuringPreview, verdicts } from '../lib/resource-case.ts';
import { gkeReleaseChannel } from './gke-release-channel.ts';

const check = (props: Record<string, unknown>) =>
  verdicts(gkeReleaseChannel, resourceOf(gcp.gkeCluster, props));

describe('gke-release-channel', () => {
  it('passes clusters on a release channel', async () => {
    for (const channel of ['RAPID', 'REGULAR', 'STABLE', 'EXTENDED']) {
      expect(await check({ releaseChannel: { channel } })).toEqual([]);
    }
  });

  it('fails clusters outside a channel or silent about it', async () => {
    expect(await check({ releaseChannel: { channel: 'UNSPECIFIED' } })).toEqual([
      'mandatory: GKE cluster is on release channel UNSPECIFIED, which gets no automatic upgrades: set releaseChannel.channel to REGULAR, RAPID, STABLE or EXTENDED.',
    ]);
    expect(await check({})).toEqual([expect.stringContaining('names no release channel')]);
  });

  it('does not fail or crash on values unknown during preview', async () => {
    expect(await check({ releaseChannel: unknownDuringPreview })).toEqual([]);
    expect(await check({ releaseChannel: { channel: unknownDuringPreview } })).toEqual([]);
  });
});
