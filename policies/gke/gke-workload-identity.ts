// Pods act as Google service accounts through Workload Identity and never see the node's
// credentials. Mandatory: without it every pod can read the node service account's token from the
// metadata server and act with the node's permissions.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { gcp } from '../lib/cloud-types.ts';
import { read, unknown } from '../lib/props.ts';

function checkMetadataMode(nodeConfig: unknown, what: string, report: (message: string) => void) {
  const mode = read(nodeConfig, 'workloadMetadataConfig.mode');
  // Unset: the pool follows the cluster (GKE_METADATA when the cluster has Workload Identity).
  if (mode === undefined || mode === unknown || mode === 'GKE_METADATA') return;
  report(
    `${what} exposes the node's credentials to pods (workloadMetadataConfig.mode ${String(mode)}): set nodeConfig.workloadMetadataConfig.mode: 'GKE_METADATA'.`,
  );
}

export const gkeWorkloadIdentity: ResourceValidationPolicy = {
  name: 'gke-workload-identity',
  description:
    "GKE clusters have Workload Identity (workloadIdentityConfig.workloadPool, e.g. '<project>.svc.id.goog') and no node pool turns the GKE metadata server off. Mandatory: otherwise every pod can act as the node's service account.",
  enforcementLevel: 'mandatory',
  validateResource: validateTypes({
    [gcp.gkeCluster]: (props, report) => {
      if (read(props, 'enableAutopilot') === true) return; // Autopilot always has it.
      const pool = read(props, 'workloadIdentityConfig.workloadPool');
      if (pool === undefined || pool === '')
        report(
          "GKE cluster has no Workload Identity: set workloadIdentityConfig: { workloadPool: '<project>.svc.id.goog' }.",
        );
      if (read(props, 'removeDefaultNodePool') !== true)
        checkMetadataMode(read(props, 'nodeConfig'), 'The default node pool', report);
    },
    [gcp.gkeNodePool]: (props, report) => {
      checkMetadataMode(read(props, 'nodeConfig'), 'This node pool', report);
    },
  }),
};
