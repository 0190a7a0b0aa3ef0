// Every GCP resource that can carry labels carries edgeplane's: part-of and environment (the stack's
// GCP providers set them as defaultLabels, and the components on the fields defaultLabels do not
// reach). Mandatory: billing exports, asset inventory and on-call find a deployment's resources by them.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { gcp } from '../lib/cloud-types.ts';
import { providerObject } from '../lib/environment.ts';
import { isUnknown, read, readStringMap, unknown } from '../lib/props.ts';
import { missingKeys, requiredKeysConfigProperty } from '../lib/required-keys.ts';
import { hasInput } from '../lib/taggable.ts';

export const defaultRequiredLabels = ['part-of', 'environment'];

/**
 * Label fields that are not the resource's `labels` and that the provider's defaultLabels do not
 * fill: the cluster's resource labels, a node pool's VM labels, Cloud SQL's user labels.
 */
const ownLabelFields: Readonly<Record<string, string>> = {
  [gcp.gkeCluster]: 'resourceLabels',
  [gcp.gkeNodePool]: 'nodeConfig.resourceLabels',
  [gcp.sqlInstance]: 'settings.userLabels',
};

export const gcpRequiredLabels: ResourceValidationPolicy = {
  name: 'gcp-required-labels',
  description:
    "Every labelable GCP resource has edgeplane's labels (config `requiredLabels`; default part-of, environment): from its labels or its provider's defaultLabels, and on GKE clusters (resourceLabels), node pools (nodeConfig.resourceLabels) and Cloud SQL (settings.userLabels) on the resource itself. Mandatory: unlabelled resources escape billing reports and inventories.",
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      requiredLabels: requiredKeysConfigProperty(
        defaultRequiredLabels,
        'Label keys every labelable GCP resource must have.',
      ),
    },
  },
  validateResource: (args, report) => {
    if (!args.type.startsWith('gcp:')) return;
    const special = ownLabelFields[args.type];
    const field = special ?? 'labels';
    if (!special) {
      const labelable =
        hasInput('@pulumi/gcp', args.type, 'labels') ?? read(args.props, 'labels') !== undefined;
      if (!labelable) return;
    }
    const own = readStringMap(args.props, field);
    if (own === unknown) return;
    const rawDefaults = special ? undefined : read(args.provider?.props, 'defaultLabels');
    if (isUnknown(rawDefaults)) return;
    const defaults = providerObject(rawDefaults);
    const missing = missingKeys(args, 'requiredLabels', defaultRequiredLabels, [
      ...Object.keys(own ?? {}),
      ...Object.keys(defaults ?? {}),
    ]);
    if (missing.length > 0)
      report(
        special
          ? `Missing labels ${missing.join(', ')} in ${field} (the provider's defaultLabels do not reach it): add them there.`
          : `Missing labels ${missing.join(', ')}: add them to the resource's labels, or put the resource on a provider whose defaultLabels has them (as edgeplane's stacks do).`,
      );
  },
};
