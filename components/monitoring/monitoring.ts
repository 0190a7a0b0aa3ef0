// The monitoring stack of a cluster: kube-prometheus-stack (Prometheus, Alertmanager, Grafana,
// kube-state-metrics), the runtime's alert rules and dashboards, Loki with Grafana Alloy shipping
// pod logs, and an OpenTelemetry Collector forwarding traces to Jaeger. Every Kubernetes resource
// goes through the cluster's explicit provider and is parented to this component.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { stringify } from 'yaml';
import { type Environment, environments } from '../../stacks/config-schema.ts';
import {
  fromNamespace,
  fromSameNamespace,
  isolateNamespace,
  tcpPorts,
} from '../cluster/namespace-isolation.ts';
import type { ClusterOutputs } from '../cluster/types.ts';
import { standardLabels } from '../labels.ts';
import { namespaces } from '../namespaces.ts';
import { alertmanagerConfig } from './alertmanager-config.ts';
import { charts, type PinnedChart } from './charts.ts';
import { dashboardSidecarLabel, dashboards } from './dashboards.ts';
import { endpoints, ports } from './endpoints.ts';
import { jaegerObjects } from './jaeger.ts';
import { runtimeRuleFile } from './runtime-rules.ts';
import type { MonitoringOutputs } from './types.ts';
import { alloyValues } from './values/alloy.ts';
import { kubePrometheusStackValues } from './values/kube-prometheus-stack.ts';
import { lokiValues } from './values/loki.ts';
import { otelCollectorValues } from './values/otel-collector.ts';

export interface MonitoringArgs {
  cluster: ClusterOutputs;
  environment: Environment;
  /** The CDN's domain, e.g. cdn.example.com: labels every series and alert of this stack. */
  domain: string;
  /** How long Prometheus keeps metrics and Loki keeps logs, in days (1-365). */
  retentionDays: number;
  /** Slack incoming-webhook URL; without it there is no Slack receiver. */
  slackWebhookUrl?: pulumi.Output<string>;
  /** PagerDuty Events v2 routing key; without it there is no PagerDuty receiver. */
  pagerdutyRoutingKey?: pulumi.Output<string>;
  /**
   * Scrape etcd, scheduler, controller manager and kube-proxy as pods. Default true; set false on
   * k3s, where they run inside the k3s binary and would only produce TargetDown alerts.
   */
  scrapeControlPlane?: boolean;
}

/** Names of the Secrets the charts read. */
export const secretNames = {
  alertmanagerConfig: 'alertmanager-edgeplane',
  grafanaAdmin: 'grafana-admin',
} as const;

export class Monitoring extends pulumi.ComponentResource {
  public readonly namespace: string = namespaces.monitoring;
  public readonly selectorLabels: Record<string, string>;
  public readonly otlpEndpoint: string = endpoints.otlpHttpUrl;
  public readonly lokiUrl: string = endpoints.lokiUrl;
  public readonly jaegerQueryUrl: string = endpoints.jaegerQueryUrl;
  /** Grafana's admin password (user `admin`), a secret. */
  public readonly grafanaAdminPassword: pulumi.Output<string>;
  /** kube-prometheus-stack: it installs the CRDs a ServiceMonitor or PrometheusRule needs. */
  public readonly prometheusStack: k8s.helm.v3.Release;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad arguments fail here, before anything (this component included) is registered.
    super('edgeplane:monitoring:Monitoring', name, validated(args), opts);
    const environment = args.environment;
    const labels = standardLabels('monitoring', environment);
    const kubernetes = { parent: this, provider: args.cluster.provider };
    const storageClassName = args.cluster.storageClassName;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: this.namespace,
          // node-exporter reads the host (hostNetwork, hostPID, host paths): a cluster that
          // enforces Pod Security would refuse it in a restricted namespace.
          labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      },
      kubernetes,
    );
    const inNamespace = { ...kubernetes, dependsOn: [namespace] };
    isolateNamespace(
      `${name}-namespace`,
      {
        namespace: this.namespace,
        labels,
        allowIngress: [
          // The stack talks within itself (scrapes, pushes, queries, alerts).
          { from: [fromSameNamespace] },
          {
            from: [fromNamespace(namespaces.cdn)],
            ports: tcpPorts(ports.otlpGrpc, ports.otlpHttp),
          },
          // The API server calls the Prometheus operator's admission webhook.
          { ports: tcpPorts(10250) },
        ],
      },
      inNamespace,
    );
    const metadata = (objectName: string, extraLabels: Record<string, string> = {}) => ({
      name: objectName,
      namespace: this.namespace,
      labels: { ...labels, ...extraLabels },
    });

    const adminPassword = new random.RandomPassword(
      `${name}-grafana-admin`,
      { length: 32, special: false },
      { parent: this },
    );
    this.grafanaAdminPassword = pulumi.secret(adminPassword.result);
    const grafanaAdmin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: metadata(secretNames.grafanaAdmin),
        type: 'Opaque',
        stringData: { 'admin-user': 'admin', 'admin-password': this.grafanaAdminPassword },
      },
      inNamespace,
    );

    // The whole alertmanager.yaml is secret: it holds the webhook URL and the routing key.
    const alertmanagerYaml = pulumi.secret(
      pulumi
        .all([args.slackWebhookUrl, args.pagerdutyRoutingKey])
        .apply(([slackWebhookUrl, pagerdutyRoutingKey]) =>
          stringify(alertmanagerConfig({ slackWebhookUrl, pagerdutyRoutingKey })),
        ),
    );
    const alertmanagerSecret = new k8s.core.v1.Secret(
      `${name}-alertmanager-config`,
      {
        metadata: metadata(secretNames.alertmanagerConfig),
        type: 'Opaque',
        stringData: { 'alertmanager.yaml': alertmanagerYaml },
      },
      inNamespace,
    );

    this.prometheusStack = release(
      `${name}-kube-prometheus-stack`,
      charts.kubePrometheusStack,
      this.namespace,
      kubePrometheusStackValues({
        environment,
        retentionDays: args.retentionDays,
        storageClassName,
        alertmanagerConfigSecret: secretNames.alertmanagerConfig,
        grafanaAdminSecret: secretNames.grafanaAdmin,
        scrapeControlPlane: args.scrapeControlPlane ?? true,
        externalLabels: { cdn: args.domain, region: args.cluster.region },
      }),
      { ...kubernetes, dependsOn: [namespace, grafanaAdmin, alertmanagerSecret] },
    );
    this.selectorLabels = { release: charts.kubePrometheusStack.releaseName };
    const afterCrds = { ...kubernetes, dependsOn: [this.prometheusStack] };

    new k8s.apiextensions.CustomResource(
      `${name}-runtime-rules`,
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: metadata('edgeplane-runtime', this.selectorLabels),
        spec: runtimeRuleFile(),
      },
      afterCrds,
    );

    for (const dashboard of dashboards) {
      const dashboardName = `edgeplane-dashboard-${dashboard.file.replace(/\.json$/, '')}`;
      new k8s.core.v1.ConfigMap(
        `${name}-${dashboardName}`,
        {
          metadata: metadata(dashboardName, {
            [dashboardSidecarLabel.key]: dashboardSidecarLabel.value,
          }),
          data: { [dashboard.file]: JSON.stringify(dashboard.json) },
        },
        inNamespace,
      );
    }

    const loki = release(
      `${name}-loki`,
      charts.loki,
      this.namespace,
      lokiValues({ environment, retentionDays: args.retentionDays, storageClassName }),
      inNamespace,
    );
    release(`${name}-alloy`, charts.alloy, this.namespace, alloyValues(environment), {
      ...kubernetes,
      dependsOn: [namespace, loki],
    });

    const jaeger = jaegerObjects(this.namespace, labels);
    const jaegerDeployment = new k8s.apps.v1.Deployment(
      `${name}-jaeger`,
      jaeger.deployment,
      inNamespace,
    );
    const jaegerService = new k8s.core.v1.Service(`${name}-jaeger`, jaeger.service, inNamespace);
    release(
      `${name}-otel-collector`,
      charts.otelCollector,
      this.namespace,
      otelCollectorValues(environment),
      { ...kubernetes, dependsOn: [namespace, jaegerDeployment, jaegerService] },
    );

    this.registerOutputs({
      namespace: this.namespace,
      selectorLabels: this.selectorLabels,
      otlpEndpoint: this.otlpEndpoint,
      lokiUrl: this.lokiUrl,
      jaegerQueryUrl: this.jaegerQueryUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
    });
  }

  /** What the workloads this stack watches need from it. */
  outputs(): MonitoringOutputs {
    return {
      namespace: this.namespace,
      selectorLabels: this.selectorLabels,
      otlpEndpoint: this.otlpEndpoint,
      ready: [this.prometheusStack],
    };
  }
}

function release(
  name: string,
  chart: PinnedChart,
  namespace: string,
  values: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: chart.releaseName,
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repo },
      namespace,
      values,
      // A failed install or upgrade is rolled back instead of leaving half a stack.
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
    },
    opts,
  );
}

function validated(args: MonitoringArgs): Record<string, never> {
  const problems: string[] = [];
  if (!environments.includes(args.environment)) {
    problems.push(`environment must be one of ${environments.join(', ')}, e.g. dev`);
  }
  if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1 || args.retentionDays > 365) {
    problems.push(`retentionDays must be a whole number of days from 1 to 365, e.g. 15`);
  }
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(args.domain)) {
    problems.push(
      `domain must be a DNS name, e.g. cdn.example.com (got ${JSON.stringify(args.domain)})`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`edgeplane monitoring: ${problems.join('; ')}`);
  }
  return {};
}
