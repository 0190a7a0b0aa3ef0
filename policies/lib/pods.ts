// Where a Kubernetes workload keeps its pod template, and the containers in it. Policies on
// workloads read pods through these, so a Deployment, a CronJob and a bare Pod are checked alike.
// Values unknown during preview come back as `unknown` (see props.ts): checks skip them.
import { read, readArray, type Unknown, unknown } from './props.ts';

/** Pod spec path per workload type (Helm charts' rendered objects are not seen: see docs/policies.md). */
export const podSpecPaths: Readonly<Record<string, string>> = {
  'kubernetes:apps/v1:Deployment': 'spec.template.spec',
  'kubernetes:apps/v1:StatefulSet': 'spec.template.spec',
  'kubernetes:apps/v1:DaemonSet': 'spec.template.spec',
  'kubernetes:apps/v1:ReplicaSet': 'spec.template.spec',
  'kubernetes:batch/v1:Job': 'spec.template.spec',
  'kubernetes:batch/v1:CronJob': 'spec.jobTemplate.spec.template.spec',
  'kubernetes:core/v1:Pod': 'spec',
};

/** Workloads whose pods run until stopped: they need probes and a disruption budget. */
export const longRunningTypes = new Set([
  'kubernetes:apps/v1:Deployment',
  'kubernetes:apps/v1:StatefulSet',
  'kubernetes:apps/v1:DaemonSet',
  'kubernetes:apps/v1:ReplicaSet',
  'kubernetes:core/v1:Pod',
]);

export function isWorkload(type: string): boolean {
  return type in podSpecPaths;
}

/** The pod spec of a workload; undefined for other types or when missing, `unknown` when unknown. */
export function podSpecOf(type: string, props: unknown): unknown {
  const path = podSpecPaths[type];
  return path === undefined ? undefined : read(props, path);
}

export interface ContainerView {
  /** `containers[0]`, `initContainers[1]`: where in the pod spec. */
  where: string;
  name: string;
  init: boolean;
  spec: unknown;
}

/** The containers and init containers of a pod spec (unknown lists are skipped). */
export function containersOf(podSpec: unknown): ContainerView[] {
  const views: ContainerView[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = readArray(podSpec, list);
    if (containers === unknown || containers === undefined) continue;
    containers.forEach((spec, index) => {
      const name = read(spec, 'name');
      views.push({
        where: `${list}[${index}]`,
        name: typeof name === 'string' ? name : `#${index}`,
        init: list === 'initContainers',
        spec,
      });
    });
  }
  return views;
}

/** A workload's `namespace/name` for messages. */
export function workloadName(props: unknown, fallback: string): string {
  const name = read(props, 'metadata.name');
  const namespace = read(props, 'metadata.namespace');
  const shown = typeof name === 'string' ? name : fallback;
  return typeof namespace === 'string' ? `${namespace}/${shown}` : shown;
}

/** The setting of a container, else the pod's (securityContext fields a container may override). */
export function effectiveSetting(
  container: unknown,
  podSpec: unknown,
  field: string,
): unknown | Unknown {
  const own = read(container, `securityContext.${field}`);
  return own !== undefined ? own : read(podSpec, `securityContext.${field}`);
}
