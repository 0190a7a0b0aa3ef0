import type { ResourceValidationPolicy } from '@pulumi/policy';
import { longRunningTypes } from '../lib/pods.ts';
import { read } from '../lib/props.ts';
import { containerLabel, validateWorkloads } from '../lib/workload-policy.ts';

/** Long-running containers declare liveness and readiness probes; Jobs and init containers end by themselves. */
export const k8sProbes: ResourceValidationPolicy = {
  name: 'k8s-probes',
  description:
    'Every container of a long-running workload (Deployment, StatefulSet, DaemonSet, Pod) has a liveness and a readiness probe.',
  enforcementLevel: 'mandatory',
  validateResource: validateWorkloads(({ type, containers }) =>
    longRunningTypes.has(type)
      ? containers
          .filter((container) => !container.init)
          .flatMap((container) =>
            (['livenessProbe', 'readinessProbe'] as const)
              .filter((probe) => read(container.spec, probe) === undefined)
              .map((probe) => `${containerLabel(container)} has no ${probe}`),
          )
      : [],
  ),
};
