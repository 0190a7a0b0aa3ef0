// The Grafana dashboards, kept as JSON files in dashboards/ (edit them in Grafana, export, commit).
// The component puts each in a ConfigMap labelled for the Grafana dashboard sidecar.
import edgeOverview from './dashboards/edge-overview.json' with { type: 'json' };
import origin from './dashboards/origin.json' with { type: 'json' };
import tenantUsage from './dashboards/tenant-usage.json' with { type: 'json' };

export interface DashboardFile {
  /** File name in dashboards/, also the key in the ConfigMap. */
  file: string;
  json: { uid: string; title: string };
}

export const dashboards: readonly DashboardFile[] = [
  { file: 'edge-overview.json', json: edgeOverview },
  { file: 'origin.json', json: origin },
  { file: 'tenant-usage.json', json: tenantUsage },
];

/** The label and value the kube-prometheus-stack Grafana sidecar watches for. */
export const dashboardSidecarLabel = { key: 'grafana_dashboard', value: '1' } as const;
