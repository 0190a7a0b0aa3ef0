// The values keys each pinned chart version defines, limited to the ones this component sets.
// Taken by hand from each chart's values.yaml (source below); helm-values.test.ts checks that every
// value we pass is one of these, so a typo or a key removed by a chart bump fails the tests.
// `open` keys hold free-form content (a Kubernetes spec, a Loki or collector config block): what is
// under them is not a chart key and is checked by the component that reads it.
import type { ChartName } from './charts.ts';

export interface ChartKeys {
  /** Where the keys were read: repository, commit and file. */
  source: string;
  /** Dotted paths of leaf keys. */
  keys: readonly string[];
  /** Dotted paths whose whole subtree is free-form. */
  open: readonly string[];
}

export const chartKeys: Record<ChartName, ChartKeys> = {
  kubePrometheusStack: {
    source:
      'prometheus-community/helm-charts (fork jkroepke/prometheus-community-helm-charts@758c32d5, Chart.yaml version 79.1.0 at the same commit): charts/kube-prometheus-stack/values.yaml',
    keys: [
      'crds.enabled',
      'defaultRules.create',
      'alertmanager.alertmanagerSpec.useExistingSecret',
      // Documented as a commented key (`# configSecret:`); the alertmanager template reads it.
      'alertmanager.alertmanagerSpec.configSecret',
      'alertmanager.alertmanagerSpec.replicas',
      'grafana.defaultDashboardsEnabled',
      'grafana.defaultDashboardsTimezone',
      'grafana.admin.existingSecret',
      'grafana.admin.userKey',
      'grafana.admin.passwordKey',
      'grafana.sidecar.dashboards.enabled',
      'grafana.sidecar.dashboards.label',
      'grafana.sidecar.dashboards.labelValue',
      'grafana.sidecar.dashboards.searchNamespace',
      'grafana.additionalDataSources',
      'prometheus.prometheusSpec.retention',
      'prometheus.prometheusSpec.retentionSize',
      'prometheus.prometheusSpec.replicas',
      'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.probeSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.scrapeConfigSelectorNilUsesHelmValues',
      'kubeEtcd.enabled',
      'kubeScheduler.enabled',
      'kubeControllerManager.enabled',
      'kubeProxy.enabled',
    ],
    open: [
      'alertmanager.alertmanagerSpec.storage',
      'alertmanager.alertmanagerSpec.resources',
      'prometheus.prometheusSpec.storageSpec',
      'prometheus.prometheusSpec.resources',
      'prometheus.prometheusSpec.externalLabels',
    ],
  },
  loki: {
    source:
      'grafana/loki@0017528b (values of the 6.x chart, Loki image 3.4.0; the stored Chart.yaml nearest to it is 6.29.0): production/helm/loki/values.yaml',
    keys: [
      'deploymentMode',
      'loki.auth_enabled',
      'loki.commonConfig.replication_factor',
      'loki.storage.type',
      'singleBinary.replicas',
      'singleBinary.persistence.enabled',
      'singleBinary.persistence.size',
      'singleBinary.persistence.storageClass',
      'read.replicas',
      'write.replicas',
      'backend.replicas',
      'chunksCache.enabled',
      'resultsCache.enabled',
      'lokiCanary.enabled',
      'test.enabled',
      'gateway.enabled',
    ],
    open: ['loki.schemaConfig', 'loki.limits_config', 'loki.compactor', 'singleBinary.resources'],
  },
  alloy: {
    source: 'grafana/alloy@0232638d (Chart.yaml 0.12.5): operations/helm/charts/alloy/values.yaml',
    keys: [
      'fullnameOverride',
      'alloy.configMap.content',
      'alloy.clustering.enabled',
      'alloy.enableReporting',
      'controller.type',
      'controller.replicas',
    ],
    open: ['alloy.resources', 'alloy.securityContext'],
  },
  otelCollector: {
    // The official repository's stored values.yaml is years old, so the keys were read from a
    // recent fork (chart 0.16x line). 0.158.3 is pinned because its Chart.yaml is in the official
    // repository (open-telemetry/opentelemetry-helm-charts@0028bf03); the keys used are the chart's
    // long-standing ones, not checked against 0.158.3's own file: `helm show values` confirms.
    source:
      'marcschaeferger/opentelemetry-helm-charts@24ad7068 (fork of open-telemetry/opentelemetry-helm-charts): charts/opentelemetry-collector/values.yaml',
    keys: ['fullnameOverride', 'mode', 'replicaCount', 'image.repository', 'command.name'],
    open: ['config', 'resources', 'securityContext', 'podSecurityContext'],
  },
};

/** Dotted paths of every leaf of a values object; arrays are leaves (their items are not keys). */
export function valuePaths(values: unknown, prefix = ''): string[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [prefix];
  const entries = Object.entries(values);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([key, inner]) => valuePaths(inner, prefix ? `${prefix}.${key}` : key));
}

/** Paths in `values` that the chart does not define. */
export function unknownValuePaths(values: object, keys: ChartKeys): string[] {
  return valuePaths(values).filter(
    (path) =>
      !keys.keys.includes(path) &&
      !keys.open.some((open) => path === open || path.startsWith(`${open}.`)),
  );
}
