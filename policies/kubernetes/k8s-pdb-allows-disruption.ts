import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { longRunningTypes, podSpecPaths, workloadName } from '../lib/pods.ts';
import { read, readStringMap, unknown } from '../lib/props.ts';

/** Replicas a workload runs at least: its HPA's minReplicas when one targets it, else spec.replicas (1 by default). */
function minimumReplicas(workload: PolicyResource, all: PolicyResource[]): number | undefined {
  const name = read(workload.props, 'metadata.name');
  const namespace = read(workload.props, 'metadata.namespace');
  const kind = workload.type.split(':').pop();
  const hpa = all.find(
    (other) =>
      other.type.endsWith(':HorizontalPodAutoscaler') &&
      read(other.props, 'metadata.namespace') === namespace &&
      read(other.props, 'spec.scaleTargetRef.kind') === kind &&
      read(other.props, 'spec.scaleTargetRef.name') === name,
  );
  const replicas = hpa
    ? (read(hpa.props, 'spec.minReplicas') ?? 1)
    : (read(workload.props, 'spec.replicas') ?? 1);
  return typeof replicas === 'number' ? replicas : undefined;
}

/** Where a workload's pod labels are: beside its pod spec (`spec.template.metadata.labels`). */
function templateLabelsPath(type: string): string {
  const template = (podSpecPaths[type] ?? 'spec').replace(/\.?spec$/, '');
  return template ? `${template}.metadata.labels` : 'metadata.labels';
}

function selects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

const percent = (value: string) => Number(value.replace('%', ''));

/**
 * A PodDisruptionBudget that allows no eviction blocks node drains and cluster upgrades: it must
 * allow one pod at least (maxUnavailable > 0, or minAvailable below the replicas it protects).
 */
export const k8sPdbAllowsDisruption: StackValidationPolicy = {
  name: 'k8s-pdb-allows-disruption',
  description:
    'Every PodDisruptionBudget allows at least one eviction: maxUnavailable above 0, or minAvailable below the replicas of the workloads it selects.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const workloads = args.resources.filter((r) => longRunningTypes.has(r.type));
    for (const pdb of args.resources.filter(
      (r) => r.type === 'kubernetes:policy/v1:PodDisruptionBudget',
    )) {
      const name = `${String(read(pdb.props, 'metadata.namespace'))}/${String(read(pdb.props, 'metadata.name'))}`;
      const maxUnavailable = read(pdb.props, 'spec.maxUnavailable');
      const minAvailable = read(pdb.props, 'spec.minAvailable');
      if (
        maxUnavailable === 0 ||
        (typeof maxUnavailable === 'string' && percent(maxUnavailable) === 0)
      ) {
        report(
          `PodDisruptionBudget ${name} sets maxUnavailable ${maxUnavailable}: no pod can ever be evicted`,
          pdb.urn,
        );
        continue;
      }
      if (typeof minAvailable === 'string' && percent(minAvailable) >= 100) {
        report(
          `PodDisruptionBudget ${name} sets minAvailable ${minAvailable}: no pod can ever be evicted`,
          pdb.urn,
        );
        continue;
      }
      if (typeof minAvailable !== 'number') continue;
      const selector = readStringMap(pdb.props, 'spec.selector.matchLabels');
      if (selector === unknown || selector === undefined) continue;
      for (const workload of workloads) {
        if (read(workload.props, 'metadata.namespace') !== read(pdb.props, 'metadata.namespace'))
          continue;
        const labels = readStringMap(workload.props, templateLabelsPath(workload.type));
        if (labels === unknown || labels === undefined || !selects(selector, labels)) continue;
        const replicas = minimumReplicas(workload, args.resources);
        if (replicas !== undefined && minAvailable >= replicas) {
          report(
            `PodDisruptionBudget ${name} sets minAvailable ${minAvailable} for ${workloadName(workload.props, workload.name)}, which runs ${replicas} replica(s): no pod can be evicted; use maxUnavailable: 1`,
            pdb.urn,
          );
        }
      }
    }
  },
};
