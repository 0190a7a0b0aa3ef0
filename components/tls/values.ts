// Helm values for the cert-manager chart: CRDs installed (and kept) with the release, small but
// bounded resources, leader election in its own namespace, DNS-01 self-checks against public
// resolvers (split-horizon DNS is common on k3s), optional HA and ServiceMonitor.
import { certManagerChartKeys } from './cert-manager-chart.ts';
import { unknownChartValues } from './chart-values.ts';

export interface CertManagerValuesArgs {
  namespace: string;
  /** edgeplane's labels; the chart sets its own name and managed-by labels, so those are left out. */
  labels: Record<string, string>;
  highlyAvailable: boolean;
  serviceAccountAnnotations?: Record<string, string>;
  /** Labels Prometheus selects ServiceMonitors by; no ServiceMonitor when undefined. */
  serviceMonitorLabels?: Record<string, string>;
}

const resources = (cpu: string, memory: string, memoryLimit: string) => ({
  requests: { cpu, memory },
  limits: { cpu: '500m', memory: memoryLimit },
});

// The chart renders commonLabels after its own labels: a second app.kubernetes.io/name or
// managed-by would be a duplicate key in every object's metadata.
const chartOwnedLabels = ['app.kubernetes.io/name', 'app.kubernetes.io/managed-by'];

function chartCommonLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter(([key]) => !chartOwnedLabels.includes(key)),
  );
}

export function certManagerValues(args: CertManagerValuesArgs): Record<string, unknown> {
  const replicas = args.highlyAvailable ? 2 : 1;
  const disruptionBudget = args.highlyAvailable
    ? { enabled: true, minAvailable: 1 }
    : { enabled: false };
  const values = {
    crds: { enabled: true, keep: true },
    global: {
      commonLabels: chartCommonLabels(args.labels),
      leaderElection: { namespace: args.namespace },
    },
    replicaCount: replicas,
    podDisruptionBudget: disruptionBudget,
    resources: resources('20m', '64Mi', '256Mi'),
    dns01RecursiveNameservers: '1.1.1.1:53,8.8.8.8:53',
    dns01RecursiveNameserversOnly: true,
    ...(args.serviceAccountAnnotations
      ? { serviceAccount: { annotations: args.serviceAccountAnnotations } }
      : {}),
    prometheus: {
      enabled: true,
      servicemonitor: args.serviceMonitorLabels
        ? { enabled: true, labels: args.serviceMonitorLabels }
        : { enabled: false },
    },
    webhook: {
      replicaCount: replicas,
      podDisruptionBudget: disruptionBudget,
      resources: resources('10m', '32Mi', '128Mi'),
    },
    cainjector: {
      replicaCount: replicas,
      podDisruptionBudget: disruptionBudget,
      resources: resources('10m', '64Mi', '256Mi'),
    },
    startupapicheck: { resources: resources('10m', '32Mi', '64Mi') },
  };
  const unknown = unknownChartValues(values, certManagerChartKeys);
  if (unknown.length > 0) {
    throw new Error(
      `cert-manager chart values not defined by the pinned chart: ${unknown.join(', ')}`,
    );
  }
  return values;
}
