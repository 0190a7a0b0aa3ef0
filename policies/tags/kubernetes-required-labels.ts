// Every Kubernetes object carries the recommended labels edgeplane puts on its own (components/labels.ts):
// app.kubernetes.io/name, part-of and managed-by. Mandatory: `kubectl get -l app.kubernetes.io/part-of=edgeplane`,
// dashboards and cost tools select by them, and an object without them is invisible to all three.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { readStringMap, unknown } from '../lib/props.ts';
import { missingKeys, requiredKeysConfigProperty } from '../lib/required-keys.ts';

export const defaultRequiredKubernetesLabels = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
];

/** Kubernetes resource types that are not one object with metadata of its own to label. */
function isLabelledObject(type: string): boolean {
  if (!type.startsWith('kubernetes:') || type.startsWith('pulumi:providers:')) return false;
  const [, group = '', kind = ''] = type.split(':');
  // Helm releases and charts, YAML and Kustomize bundles: their objects carry the chart's labels.
  if (group.startsWith('helm.sh') || group.startsWith('yaml') || group.startsWith('kustomize'))
    return false;
  // Patches change objects someone else owns; lists hold objects.
  return !kind.endsWith('Patch') && !kind.endsWith('List');
}

export const kubernetesRequiredLabels: ResourceValidationPolicy = {
  name: 'kubernetes-required-labels',
  description:
    'Every Kubernetes object (not Helm releases, YAML bundles or patches) has the recommended labels in metadata.labels (config `requiredLabels`; default app.kubernetes.io/name, app.kubernetes.io/part-of, app.kubernetes.io/managed-by). Mandatory: selectors, dashboards and cost tools find objects by them.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      requiredLabels: requiredKeysConfigProperty(
        defaultRequiredKubernetesLabels,
        'Label keys every Kubernetes object must have in metadata.labels.',
      ),
    },
  },
  validateResource: (args, report) => {
    if (!isLabelledObject(args.type)) return;
    const labels = readStringMap(args.props, 'metadata.labels');
    if (labels === unknown) return;
    const missing = missingKeys(
      args,
      'requiredLabels',
      defaultRequiredKubernetesLabels,
      Object.keys(labels ?? {}),
    );
    if (missing.length > 0)
      report(
        `Missing labels ${missing.join(', ')} in metadata.labels: add them (edgeplane's standardLabels() in components/labels.ts sets them all).`,
      );
  },
};
