// Every value passed to a chart is a key that chart's pinned version defines (chart-keys.ts, read
// from each version's values.yaml), in every environment.
import { environments } from '../../stacks/config-schema.ts';
import {
  type KubernetesObject,
  validateKubernetesObjects,
} from '../../test/harness/kubernetes/index.ts';
import { chartKeys, unknownValuePaths, valuePaths } from './chart-keys.ts';
import type { ChartName } from './charts.ts';
import { alloyValues } from './values/alloy.ts';
import { kubePrometheusStackValues } from './values/kube-prometheus-stack.ts';
import { lokiValues } from './values/loki.ts';
import { otelCollectorValues } from './values/otel-collector.ts';

function valuesFor(chart: ChartName, environment: (typeof environments)[number]): object {
  switch (chart) {
    case 'kubePrometheusStack':
      return kubePrometheusStackValues({
        environment,
        retentionDays: 15,
        storageClassName: 'standard',
        alertmanagerConfigSecret: 'alertmanager-edgeplane',
        grafanaAdminSecret: 'grafana-admin',
        scrapeControlPlane: true,
        externalLabels: { cdn: 'cdn.example.com', region: 'us-east-1' },
      });
    case 'loki':
      return lokiValues({ environment, retentionDays: 15, storageClassName: 'standard' });
    case 'alloy':
      return alloyValues(environment);
    case 'otelCollector':
      return otelCollectorValues(environment);
  }
}

const cases = environments.flatMap((environment) =>
  (Object.keys(chartKeys) as ChartName[]).map((chart) => [chart, environment] as const),
);

describe('Helm values', () => {
  it.each(cases)('for %s in %s use only keys the pinned chart defines', (chart, environment) => {
    const values = valuesFor(chart, environment);
    expect(valuePaths(values).length).toBeGreaterThan(3);
    expect(unknownValuePaths(values, chartKeys[chart])).toEqual([]);
  });

  it('hold valid Kubernetes specs inside their open blocks (volumes, resources, security contexts)', () => {
    const objects: KubernetesObject[] = environments.flatMap((environment) => {
      // biome-ignore lint/suspicious/noExplicitAny: reading known paths of free-form Helm values.
      const kps = valuesFor('kubePrometheusStack', environment) as any;
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      const loki = valuesFor('loki', environment) as any;
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      const alloy = valuesFor('alloy', environment) as any;
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      const collector = valuesFor('otelCollector', environment) as any;
      const claim = (name: string, spec: unknown): KubernetesObject => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: `${environment}-${name}` },
        spec,
      });
      const container = (name: string, resources: unknown, securityContext?: unknown) => ({
        name,
        image: `example/${name}:1`,
        resources,
        ...(securityContext ? { securityContext } : {}),
      });
      return [
        claim('prometheus', kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec),
        claim('alertmanager', kps.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec),
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${environment}-containers` },
          spec: {
            containers: [
              container('prometheus', kps.prometheus.prometheusSpec.resources),
              container('alertmanager', kps.alertmanager.alertmanagerSpec.resources),
              container('loki', loki.singleBinary.resources),
              container('alloy', alloy.alloy.resources, alloy.alloy.securityContext),
              container('collector', collector.resources, collector.securityContext),
            ],
          },
        },
      ];
    });
    const results = validateKubernetesObjects(objects);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
  });

  it('finds a misspelled key, and a key outside an open block', () => {
    const values = {
      prometheus: { prometheusSpec: { retension: '10d', storageSpec: { anything: { goes: 1 } } } },
      grafana: { sidecar: { dashboards: { enabled: true, lable: 'x' } } },
    };
    expect(unknownValuePaths(values, chartKeys.kubePrometheusStack)).toEqual([
      'prometheus.prometheusSpec.retension',
      'grafana.sidecar.dashboards.lable',
    ]);
  });

  it('treats arrays as values, not as keys', () => {
    expect(valuePaths({ a: { list: [{ b: 1 }] }, c: {} })).toEqual(['a.list', 'c']);
  });

  it('lists every key once, and none inside an open block', () => {
    for (const keys of Object.values(chartKeys)) {
      expect(new Set(keys.keys).size).toBe(keys.keys.length);
      const shadowed = keys.keys.filter((key) =>
        keys.open.some((open) => key === open || key.startsWith(`${open}.`)),
      );
      expect(shadowed).toEqual([]);
    }
  });
});
