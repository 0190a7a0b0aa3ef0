import type { ResourceValidationPolicy } from '@pulumi/policy';
import { read, unknown } from '../lib/props.ts';
import { containerLabel, validateWorkloads } from '../lib/workload-policy.ts';

/** Containers cannot write to their image: writable paths are explicit volumes (emptyDir, PVC). */
export const k8sReadOnlyRootFilesystem: ResourceValidationPolicy = {
  name: 'k8s-read-only-root-filesystem',
  description:
    'Every container has a read-only root filesystem (securityContext.readOnlyRootFilesystem: true); writable paths are volumes.',
  enforcementLevel: 'mandatory',
  validateResource: validateWorkloads(({ containers }) =>
    containers.flatMap((container) => {
      const readOnly = read(container.spec, 'securityContext.readOnlyRootFilesystem');
      return readOnly === true || readOnly === unknown
        ? []
        : [`${containerLabel(container)} does not set readOnlyRootFilesystem: true`];
    }),
  ),
};
