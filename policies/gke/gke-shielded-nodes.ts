// GKE nodes are Shielded VMs with Secure Boot and integrity monitoring. Mandatory: they stop a
// compromised pod that escapes to the node from persisting in the boot chain, and the node's
// identity cannot be impersonated to join the cluster. Secure Boot is off unless asked for.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { gcp } from '../lib/cloud-types.ts';
import { read, unknown } from '../lib/props.ts';

function checkShieldedInstance(
  nodeConfig: unknown,
  what: string,
  report: (message: string) => void,
) {
  if (nodeConfig === unknown) return;
  const secureBoot = read(nodeConfig, 'shieldedInstanceConfig.enableSecureBoot');
  if (secureBoot !== true && secureBoot !== unknown)
    report(
      `${what} boots without Secure Boot: set nodeConfig.shieldedInstanceConfig.enableSecureBoot: true.`,
    );
  if (read(nodeConfig, 'shieldedInstanceConfig.enableIntegrityMonitoring') === false)
    report(
      `${what} has integrity monitoring off: set nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring: true.`,
    );
}

export const gkeShieldedNodes: ResourceValidationPolicy = {
  name: 'gke-shielded-nodes',
  description:
    'GKE clusters keep Shielded GKE Nodes on (enableShieldedNodes), and node pools set shieldedInstanceConfig with enableSecureBoot: true and integrity monitoring on. Mandatory: nodes must not be impersonated or boot tampered software.',
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [gcp.gkeCluster]: (props, report) => {
      if (read(props, 'enableAutopilot') === true) return;
      if (read(props, 'enableShieldedNodes') === false)
        report('GKE cluster has Shielded GKE Nodes off: set enableShieldedNodes: true.');
      if (read(props, 'removeDefaultNodePool') !== true)
        checkShieldedInstance(read(props, 'nodeConfig'), 'The default node pool', report);
    },
    [gcp.gkeNodePool]: (props, report) => {
      checkShieldedInstance(read(props, 'nodeConfig'), 'This node pool', report);
    },
  }),
};
