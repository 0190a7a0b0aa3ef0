// The EKS control plane ships its logs to CloudWatch. Mandatory: the audit and authenticator logs are
// the only record of who did what to the cluster, and EKS keeps none unless asked.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws } from '../lib/cloud-types.ts';
import { readArray, unknown } from '../lib/props.ts';

export const defaultRequiredLogTypes = ['api', 'audit', 'authenticator'];

export const eksControlPlaneLogging: ResourceValidationPolicy = {
  name: 'eks-control-plane-logging',
  description:
    'EKS clusters send at least the api, audit and authenticator control-plane logs to CloudWatch (config `requiredLogTypes`). Mandatory: without them there is no record of who changed the cluster.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      requiredLogTypes: {
        type: 'array',
        items: {
          type: 'string',
          enum: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
        },
        default: defaultRequiredLogTypes,
        description: 'Control-plane log types every EKS cluster must enable.',
      },
    },
  },
  validateResource: validateTypes({
    [aws.eksCluster]: (props, report, args) => {
      const required =
        args.getConfig<{ requiredLogTypes?: string[] }>().requiredLogTypes ??
        defaultRequiredLogTypes;
      const enabled = readArray(props, 'enabledClusterLogTypes');
      if (enabled === unknown) return;
      // An unknown element may be any of the required ones: only known strings count as missing.
      if (enabled?.includes(unknown)) return;
      const missing = required.filter((type) => !(enabled ?? []).includes(type));
      if (missing.length > 0)
        report(
          `EKS control-plane logs ${missing.join(', ')} are off: add them to enabledClusterLogTypes (e.g. ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']).`,
        );
    },
  }),
};
