// GKE clusters follow a release channel, so Google patches the control plane and nodes within a
// supported minor version. Mandatory: a cluster outside any channel drifts to unsupported versions and
// misses security patches until someone remembers to upgrade.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { gcp } from '../lib/cloud-types.ts';
import { read, unknown } from '../lib/props.ts';

export const releaseChannels = ['RAPID', 'REGULAR', 'STABLE', 'EXTENDED'];

export const gkeReleaseChannel: ResourceValidationPolicy = {
  name: 'gke-release-channel',
  description:
    "GKE clusters name a release channel (releaseChannel.channel RAPID, REGULAR, STABLE or EXTENDED; not UNSPECIFIED, not left to GKE's default). Mandatory: outside a channel, patches wait for a person.",
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [gcp.gkeCluster]: (props, report) => {
      const channel = read(props, 'releaseChannel.channel');
      if (channel === unknown || releaseChannels.includes(channel as string)) return;
      report(
        channel === undefined
          ? "GKE cluster names no release channel: set releaseChannel: { channel: 'REGULAR' } (or RAPID, STABLE, EXTENDED)."
          : `GKE cluster is on release channel ${String(channel)}, which gets no automatic upgrades: set releaseChannel.channel to REGULAR, RAPID, STABLE or EXTENDED.`,
      );
    },
  }),
};
