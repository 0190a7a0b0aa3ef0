// Values for kube-prometheus-stack: Prometheus selecting ServiceMonitors, PodMonitors and
// PrometheusRules from every namespace, retention and persistent volumes from config, Grafana with
// the dashboard sidecar and the Loki and Jaeger datasources, Alertmanager reading its whole config
// from a Secret this component writes (so no receiver URL or key is ever in the Helm values).
import type { Environment } from '../../../stacks/config-schema.ts';
import { dashboardSidecarLabel } from '../dashboards.ts';
import { datasourceUids, endpoints } from '../endpoints.ts';
import { monitoringSizing, retentionSizeFor } from '../sizing.ts';

export interface KubePrometheusStackInputs {
  environment: Environment;
  retentionDays: number;
  storageClassName: string;
  /** Secret holding alertmanager.yaml. */
  alertmanagerConfigSecret: string;
  /** Secret holding the Grafana admin user and password (keys admin-user, admin-password). */
  grafanaAdminSecret: string;
  /** false where the control plane is not reachable as pods (k3s runs it inside the k3s binary). */
  scrapeControlPlane: boolean;
  /** Added to every series and alert, so a shared Slack channel or Grafana can tell stacks apart. */
  externalLabels: Record<string, string>;
}

function volumeClaim(storageClassName: string, sizeGi: number) {
  return {
    volumeClaimTemplate: {
      spec: {
        storageClassName,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: `${sizeGi}Gi` } },
      },
    },
  };
}

export function kubePrometheusStackValues(inputs: KubePrometheusStackInputs) {
  const size = monitoringSizing[inputs.environment];
  return {
    crds: { enabled: true },
    defaultRules: { create: true },
    kubeEtcd: { enabled: inputs.scrapeControlPlane },
    kubeScheduler: { enabled: inputs.scrapeControlPlane },
    kubeControllerManager: { enabled: inputs.scrapeControlPlane },
    kubeProxy: { enabled: inputs.scrapeControlPlane },
    prometheus: {
      prometheusSpec: {
        retention: `${inputs.retentionDays}d`,
        retentionSize: retentionSizeFor(size.prometheusVolumeGi),
        replicas: size.prometheusReplicas,
        resources: size.prometheusResources,
        storageSpec: volumeClaim(inputs.storageClassName, size.prometheusVolumeGi),
        externalLabels: inputs.externalLabels,
        // Select monitors and rules in every namespace, not only those labelled for this release.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        useExistingSecret: true,
        configSecret: inputs.alertmanagerConfigSecret,
        replicas: size.alertmanagerReplicas,
        storage: volumeClaim(inputs.storageClassName, size.alertmanagerVolumeGi),
        resources: {
          requests: { cpu: '50m', memory: '64Mi' },
          limits: { cpu: '200m', memory: '256Mi' },
        },
      },
    },
    grafana: {
      defaultDashboardsEnabled: true,
      defaultDashboardsTimezone: 'utc',
      admin: {
        existingSecret: inputs.grafanaAdminSecret,
        userKey: 'admin-user',
        passwordKey: 'admin-password',
      },
      sidecar: {
        dashboards: {
          enabled: true,
          label: dashboardSidecarLabel.key,
          labelValue: dashboardSidecarLabel.value,
          searchNamespace: 'ALL',
        },
      },
      additionalDataSources: [
        {
          name: 'Loki',
          type: 'loki',
          uid: datasourceUids.loki,
          access: 'proxy',
          url: endpoints.lokiUrl,
          editable: false,
          jsonData: {
            // A trace_id field in a JSON log line links to its trace in Jaeger. `$$` escapes
            // Grafana's provisioning-time variable expansion.
            derivedFields: [
              {
                name: 'TraceID',
                matcherRegex: '"trace_id":"(\\w+)"',
                datasourceUid: datasourceUids.jaeger,
                url: '$${__value.raw}',
              },
            ],
          },
        },
        {
          name: 'Jaeger',
          type: 'jaeger',
          uid: datasourceUids.jaeger,
          access: 'proxy',
          url: endpoints.jaegerQueryUrl,
          editable: false,
        },
      ],
    },
  };
}
