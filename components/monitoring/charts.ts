// The Helm charts the monitoring component installs, pinned to exact versions. Bumping a version
// means re-reading that version's values.yaml and updating chart-keys.ts (a test checks every
// value we pass against those keys).
export interface PinnedChart {
  chart: string;
  version: string;
  repo: string;
  /** Helm release name; also the prefix of the objects the chart creates. */
  releaseName: string;
}

export const charts = {
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '79.1.0',
    repo: 'https://prometheus-community.github.io/helm-charts',
    releaseName: 'kube-prometheus-stack',
  },
  loki: {
    chart: 'loki',
    version: '6.29.0',
    repo: 'https://grafana.github.io/helm-charts',
    releaseName: 'loki',
  },
  alloy: {
    chart: 'alloy',
    version: '0.12.5',
    repo: 'https://grafana.github.io/helm-charts',
    releaseName: 'alloy',
  },
  otelCollector: {
    chart: 'opentelemetry-collector',
    version: '0.158.3',
    repo: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    releaseName: 'otel-collector',
  },
} as const satisfies Record<string, PinnedChart>;

export type ChartName = keyof typeof charts;
