// GKE node pools repair and upgrade themselves. Mandatory: a pool with auto-upgrade off falls behind
// the control plane's patches (and a release channel requires it); with auto-repair off a broken node
// keeps its pods until someone notices.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { gcp } from '../lib/cloud-types.ts';
import { read } from '../lib/props.ts';

export const gkeNodeAutoUpgradeRepair: ResourceValidationPolicy = {
  name: 'gke-node-auto-upgrade-repair',
  description:
    'GKE node pools keep management.autoUpgrade and management.autoRepair on (both are on unless turned off). Mandatory: nodes must get security patches and be replaced when broken without a person.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [gcp.gkeNodePool]: (props, report) => {
      if (read(props, 'management.autoUpgrade') === false)
        report(
          'Node pool auto-upgrade is off, so nodes miss security patches: set management.autoUpgrade: true.',
        );
      if (read(props, 'management.autoRepair') === false)
        report(
          'Node pool auto-repair is off, so broken nodes stay: set management.autoRepair: true.',
        );
    },
  }),
};
