import type { ResourceValidationPolicy } from '@pulumi/policy';
import { read, readArray } from '../lib/props.ts';
import { validateWorkloads } from '../lib/workload-policy.ts';

/** No hostPath volume: it exposes the node's filesystem to the pod. */
export const k8sNoHostPath: ResourceValidationPolicy = {
  name: 'k8s-no-host-path',
  description:
    'No workload mounts a hostPath volume (the node filesystem); use emptyDir or a PersistentVolumeClaim.',
  enforcementLevel: 'mandatory',
  validateResource: validateWorkloads(({ podSpec }) => {
    const volumes = readArray(podSpec, 'volumes');
    if (!Array.isArray(volumes)) return [];
    return volumes
      .filter((volume) => read(volume, 'hostPath') !== undefined)
      .map(
        (volume) =>
          `volume "${String(read(volume, 'name'))}" is a hostPath (${String(read(volume, 'hostPath.path'))})`,
      );
  }),
};
