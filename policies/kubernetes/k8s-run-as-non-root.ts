import type { ResourceValidationPolicy } from '@pulumi/policy';
import { effectiveSetting } from '../lib/pods.ts';
import { unknown } from '../lib/props.ts';
import { containerLabel, validateWorkloads } from '../lib/workload-policy.ts';

/** Containers run as a non-root user: runAsNonRoot (container or pod), and never runAsUser 0. */
export const k8sRunAsNonRoot: ResourceValidationPolicy = {
  name: 'k8s-run-as-non-root',
  description:
    'Every container runs as a non-root user: securityContext.runAsNonRoot true (on the container or the pod) and no runAsUser 0.',
  enforcementLevel: 'mandatory',
  validateResource: validateWorkloads(({ podSpec, containers }) =>
    containers.flatMap((container) => {
      const nonRoot = effectiveSetting(container.spec, podSpec, 'runAsNonRoot');
      const user = effectiveSetting(container.spec, podSpec, 'runAsUser');
      if (nonRoot === unknown || user === unknown) return [];
      if (user === 0) return [`${containerLabel(container)} runs as user 0 (root)`];
      return nonRoot === true
        ? []
        : [`${containerLabel(container)} does not set runAsNonRoot: true`];
    }),
  ),
};
