// The monitoring component under the recording Pulumi mocks: what it registers, on which provider,
// with which secrets kept secret, and whether the Kubernetes objects it renders are valid.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import {
  kubernetesObjects,
  validateKubernetesObjects,
} from '../../test/harness/kubernetes/index.ts';
import {
  type RecordedResource,
  ResourceRecorder,
  secretLeaks,
} from '../../test/harness/pulumi/index.ts';
import type { ClusterOutputs } from '../cluster/types.ts';
import { charts } from './charts.ts';
import { dashboards } from './dashboards.ts';
import { Monitoring, type MonitoringArgs, secretNames } from './monitoring.ts';
import { runtimeRuleFile } from './runtime-rules.ts';

const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

const slackWebhookUrl = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/slacksecret000000';
const pagerdutyRoutingKey = 'pdsecretkey0000000000000000000ab';
const grafanaPassword = 'mock-password-monitoring-grafana-admin';

interface Planned {
  recorder: ResourceRecorder;
  monitoring?: Monitoring;
  providerUrn: string;
  error?: Error;
}

async function plan(overrides: Partial<MonitoringArgs> = {}): Promise<Planned> {
  const recorder = new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, 'edgeplane', 'monitoring-test', false);
  recorder.attach();
  const provider = new k8s.Provider('cluster', { kubeconfig: pulumi.secret('kubeconfig') });
  const cluster: ClusterOutputs = {
    name: pulumi.output('dev-cluster'),
    region: 'home-lab',
    provider,
    kubeconfig: pulumi.secret('kubeconfig'),
    storageClassName: 'local-path',
    ingressClassName: 'traefik',
  };
  let monitoring: Monitoring | undefined;
  let error: Error | undefined;
  try {
    monitoring = new Monitoring('monitoring', {
      cluster,
      environment: 'dev',
      domain: 'cdn.dev.example.com',
      retentionDays: 3,
      ...overrides,
    });
  } catch (caught) {
    error = caught as Error;
  }
  await runtime.waitForRPCs();
  const providerUrn = await new Promise<string>((resolve) => provider.urn.apply(resolve));
  return { recorder, monitoring, providerUrn, error };
}

const byType = (resources: RecordedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
const releases = (resources: RecordedResource[]) =>
  byType(resources, 'kubernetes:helm.sh/v3:Release');
const releaseValues = (resources: RecordedResource[], chart: string) =>
  releases(resources).find((release) => release.inputs.chart === chart)?.inputs.values as Record<
    string,
    // biome-ignore lint/suspicious/noExplicitAny: Helm values are free-form; tests read known paths.
    any
  >;

function alertmanagerYaml(resources: RecordedResource[]) {
  const secret = byType(resources, 'kubernetes:core/v1:Secret').find(
    (resource) =>
      (resource.inputs.metadata as { name: string }).name === secretNames.alertmanagerConfig,
  );
  if (!secret) throw new Error('no Alertmanager config Secret');
  return {
    secret,
    config: parse(
      (secret.inputs.stringData as Record<string, string>)['alertmanager.yaml'] ?? '',
    ) as {
      receivers: { name: string }[];
      route: { receiver: string };
    },
  };
}

afterAll(() => runtime.waitForRPCs());

describe('Monitoring', () => {
  let planned: Planned;
  let resources: RecordedResource[];
  beforeAll(async () => {
    planned = await plan({
      slackWebhookUrl: pulumi.secret(slackWebhookUrl),
      pagerdutyRoutingKey: pulumi.secret(pagerdutyRoutingKey),
    });
    resources = planned.recorder.resources;
  });

  it('registers the stack a platform engineer expects', () => {
    expect(planned.error).toBeUndefined();
    const counts: Record<string, number> = {};
    for (const resource of resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    expect(counts).toEqual({
      'pulumi:providers:kubernetes': 1,
      'edgeplane:monitoring:Monitoring': 1,
      'random:index/randomPassword:RandomPassword': 1,
      'kubernetes:core/v1:Namespace': 1,
      'kubernetes:core/v1:Secret': 2,
      'kubernetes:helm.sh/v3:Release': 4,
      'kubernetes:monitoring.coreos.com/v1:PrometheusRule': 1,
      'kubernetes:core/v1:ConfigMap': dashboards.length,
      'kubernetes:apps/v1:Deployment': 1,
      'kubernetes:core/v1:Service': 1,
      // The namespace's default-deny ingress policy and the flows it lets in.
      'kubernetes:networking.k8s.io/v1:NetworkPolicy': 2,
    });
    const namespace = byType(resources, 'kubernetes:core/v1:Namespace')[0];
    expect(namespace?.inputs.metadata).toMatchObject({
      name: 'monitoring',
      labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
    });
  });

  it('pins every chart to its version and repository, as a named release in monitoring', () => {
    const installed = releases(resources).map((release) => ({
      name: release.inputs.name,
      chart: release.inputs.chart,
      version: release.inputs.version,
      repo: (release.inputs.repositoryOpts as { repo: string }).repo,
      namespace: release.inputs.namespace,
    }));
    const expected = Object.values(charts).map((chart) => ({
      name: chart.releaseName,
      chart: chart.chart,
      version: chart.version,
      repo: chart.repo,
      namespace: 'monitoring',
    }));
    const byName = (a: { name: unknown }, b: { name: unknown }) =>
      String(a.name).localeCompare(String(b.name));
    expect(installed.sort(byName)).toEqual(expected.sort(byName));
    for (const release of installed) expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('puts every Kubernetes resource on the cluster provider and every resource under the component', () => {
    const component = byType(resources, 'edgeplane:monitoring:Monitoring')[0];
    const kubernetesResources = resources.filter((resource) =>
      resource.type.startsWith('kubernetes:'),
    );
    expect(kubernetesResources.length).toBeGreaterThan(10);
    for (const resource of kubernetesResources) {
      // A provider reference is `<provider urn>::<provider id>`.
      expect({
        name: resource.name,
        provider: resource.provider?.startsWith(`${planned.providerUrn}::`),
      }).toEqual({ name: resource.name, provider: true });
    }
    for (const resource of resources) {
      if (resource === component || resource.type === 'pulumi:providers:kubernetes') continue;
      expect({ name: resource.name, parent: resource.parent }).toEqual({
        name: resource.name,
        parent: component?.urn,
      });
    }
  });

  it('keeps the webhook URL, the routing key and the Grafana password secret', () => {
    expect(
      secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [
        slackWebhookUrl,
        pagerdutyRoutingKey,
        grafanaPassword,
      ]),
    ).toEqual([]);
    const { secret, config } = alertmanagerYaml(resources);
    expect(secret.secretInputPaths).toContain('stringData');
    // The values really are there, only as secrets: the leak check above had something to find.
    expect(JSON.stringify(config)).toContain(slackWebhookUrl);
    expect(JSON.stringify(config)).toContain(pagerdutyRoutingKey);
    const grafanaSecret = byType(resources, 'kubernetes:core/v1:Secret').find(
      (resource) =>
        (resource.inputs.metadata as { name: string }).name === secretNames.grafanaAdmin,
    );
    expect(grafanaSecret?.secretInputPaths).toContain('stringData');
    expect(grafanaSecret?.inputs.stringData).toMatchObject({ 'admin-password': grafanaPassword });
    // Alertmanager reads that Secret: no receiver settings in the Helm values.
    const values = releaseValues(resources, 'kube-prometheus-stack');
    expect(values.alertmanager.alertmanagerSpec).toMatchObject({
      useExistingSecret: true,
      configSecret: secretNames.alertmanagerConfig,
    });
    expect(values.alertmanager.config).toBeUndefined();
  });

  it('has the secret Grafana password as an output', async () => {
    expect(
      await pulumi.isSecret(planned.monitoring?.grafanaAdminPassword as pulumi.Output<string>),
    ).toBe(true);
  });

  it('routes to Slack and PagerDuty when both are configured, in a config amtool accepts', () => {
    const { secret, config } = alertmanagerYaml(resources);
    expect(config.receivers.map((receiver) => receiver.name)).toEqual([
      'null',
      'slack',
      'pagerduty',
    ]);
    const workDir = mkdtempSync(join(tmpdir(), 'edgeplane-monitoring-'));
    try {
      const file = join(workDir, 'alertmanager.yaml');
      writeFileSync(
        file,
        (secret.inputs.stringData as Record<string, string>)['alertmanager.yaml'] ?? '',
      );
      const result = spawnSync('amtool', ['check-config', file], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
      expect(result.status).toBe(0);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('renders only valid Kubernetes objects, each with a schema', () => {
    const objects = kubernetesObjects(resources);
    expect(objects.map((object) => object.kind).sort()).toEqual(
      [
        'ConfigMap',
        'ConfigMap',
        'ConfigMap',
        'Deployment',
        'Namespace',
        'NetworkPolicy',
        'NetworkPolicy',
        'PrometheusRule',
        'Secret',
        'Secret',
        'Service',
      ].sort(),
    );
    const results = validateKubernetesObjects(objects);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
  });

  it('renders the runtime rules into a PrometheusRule Prometheus selects', () => {
    const rule = byType(resources, 'kubernetes:monitoring.coreos.com/v1:PrometheusRule')[0];
    expect(rule?.inputs.spec).toEqual(JSON.parse(JSON.stringify(runtimeRuleFile())));
    expect(rule?.inputs.metadata).toMatchObject({
      namespace: 'monitoring',
      labels: planned.monitoring?.selectorLabels,
    });
    const spec = releaseValues(resources, 'kube-prometheus-stack').prometheus.prometheusSpec;
    expect(spec).toMatchObject({
      ruleSelectorNilUsesHelmValues: false,
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
    });
  });

  it('provisions each dashboard as a ConfigMap for the Grafana sidecar', () => {
    const configMaps = byType(resources, 'kubernetes:core/v1:ConfigMap');
    const provisioned = configMaps.map((configMap) => {
      const metadata = configMap.inputs.metadata as { labels: Record<string, string> };
      const [file, json] = Object.entries(configMap.inputs.data as Record<string, string>)[0] ?? [];
      return { label: metadata.labels.grafana_dashboard, file, uid: JSON.parse(json ?? '{}').uid };
    });
    expect(provisioned.sort((a, b) => String(a.file).localeCompare(String(b.file)))).toEqual(
      dashboards.map((dashboard) => ({
        label: '1',
        file: dashboard.file,
        uid: dashboard.json.uid,
      })),
    );
    expect(
      releaseValues(resources, 'kube-prometheus-stack').grafana.sidecar.dashboards,
    ).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1' });
  });

  it('keeps metrics and logs for the configured retention on persistent volumes', () => {
    const kps = releaseValues(resources, 'kube-prometheus-stack');
    expect(kps.prometheus.prometheusSpec.retention).toBe('3d');
    expect(kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).toMatchObject({
      storageClassName: 'local-path',
      accessModes: ['ReadWriteOnce'],
    });
    expect(
      kps.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName,
    ).toBe('local-path');
    expect(kps.prometheus.prometheusSpec.externalLabels).toEqual({
      cdn: 'cdn.dev.example.com',
      region: 'home-lab',
    });
    const loki = releaseValues(resources, 'loki');
    expect(loki.loki.limits_config.retention_period).toBe('72h');
    expect(loki.singleBinary.persistence).toMatchObject({
      enabled: true,
      storageClass: 'local-path',
    });
  });

  it('wires logs and traces: Alloy pushes to Loki, the collector exports to Jaeger, Grafana reads both', () => {
    const alloy = releaseValues(resources, 'alloy');
    expect(alloy.alloy.configMap.content).toContain(
      'url = "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push"',
    );
    const collector = releaseValues(resources, 'opentelemetry-collector');
    expect(collector.config.exporters['otlp/jaeger'].endpoint).toBe(
      'jaeger.monitoring.svc.cluster.local:4317',
    );
    const jaegerSpec = byType(resources, 'kubernetes:core/v1:Service')[0]?.inputs.spec as
      | { ports: { port: number }[] }
      | undefined;
    expect(jaegerSpec?.ports.map((port) => port.port)).toEqual(
      expect.arrayContaining([4317, 16686]),
    );
    const datasources = releaseValues(resources, 'kube-prometheus-stack').grafana
      .additionalDataSources as { type: string; url: string }[];
    expect(datasources.map((datasource) => [datasource.type, datasource.url])).toEqual([
      ['loki', 'http://loki.monitoring.svc.cluster.local:3100'],
      ['jaeger', 'http://jaeger.monitoring.svc.cluster.local:16686'],
    ]);
  });

  it('hands the workloads the collector OTLP/HTTP endpoint and the CRD-installing release', () => {
    const outputs = planned.monitoring?.outputs();
    expect(outputs?.namespace).toBe('monitoring');
    expect(outputs?.otlpEndpoint).toBe('http://otel-collector.monitoring.svc.cluster.local:4318');
    expect(outputs?.ready).toEqual([planned.monitoring?.prometheusStack]);
    expect(outputs?.selectorLabels).toEqual({ release: 'kube-prometheus-stack' });
  });
});

describe('Monitoring receivers', () => {
  it('with nothing configured has the null receiver only, not a broken one', async () => {
    const { recorder } = await plan();
    const { config } = alertmanagerYaml(recorder.resources);
    expect(config.receivers).toEqual([{ name: 'null' }]);
    expect(config.route.receiver).toBe('null');
  });

  it('with only Slack has no PagerDuty receiver', async () => {
    const { recorder } = await plan({ slackWebhookUrl: pulumi.secret(slackWebhookUrl) });
    const { config } = alertmanagerYaml(recorder.resources);
    expect(config.receivers.map((receiver) => receiver.name)).toEqual(['null', 'slack']);
  });

  it('with only PagerDuty has no Slack receiver', async () => {
    const { recorder } = await plan({ pagerdutyRoutingKey: pulumi.secret(pagerdutyRoutingKey) });
    const { config } = alertmanagerYaml(recorder.resources);
    expect(config.receivers.map((receiver) => receiver.name)).toEqual(['null', 'pagerduty']);
  });
});

describe('Monitoring arguments', () => {
  it('does not scrape control-plane pods when told the cluster has none (k3s)', async () => {
    const { recorder } = await plan({ scrapeControlPlane: false });
    const values = releaseValues(recorder.resources, 'kube-prometheus-stack');
    for (const component of ['kubeEtcd', 'kubeScheduler', 'kubeControllerManager', 'kubeProxy']) {
      expect(values[component]).toEqual({ enabled: false });
    }
  });

  it.each([
    [{ retentionDays: 0 }, 'retentionDays must be a whole number of days from 1 to 365, e.g. 15'],
    [{ retentionDays: 2.5 }, 'retentionDays'],
    [{ domain: 'not a domain' }, 'domain must be a DNS name, e.g. cdn.example.com'],
    [{ environment: 'qa' as never }, 'environment must be one of dev, staging, prod'],
  ])('rejects %j before registering anything', async (overrides, message) => {
    const { recorder, error } = await plan(overrides);
    expect(error?.message).toContain(message);
    expect(recorder.resources.map((resource) => resource.type)).toEqual([
      'pulumi:providers:kubernetes',
    ]);
  });
});
