import type { ResourceValidationPolicy } from '@pulumi/policy';
import { read } from '../lib/props.ts';
import { containerLabel, validateWorkloads } from '../lib/workload-policy.ts';

/** Every container sets CPU and memory limits, so one pod cannot starve a node. */
export const k8sResourceLimits: ResourceValidationPolicy = {
  name: 'k8s-resource-limits',
  description:
    'Every container of a Kubernetes workload sets CPU and memory limits (and requests), so one pod cannot starve its node.',
  enforcementLevel: 'mandatory',
  validateResource: validateWorkloads(({ containers }) =>
    containers.flatMap((container) =>
      (['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'] as const)
        .filter((field) => read(container.spec, `resources.${field}`) === undefined)
        .map((field) => `${containerLabel(container)} sets no resources.${field}`),
    ),
  ),
};
