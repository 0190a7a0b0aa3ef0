// Every Kubernetes object the cdn component renders, validated against the Kubernetes schema
// (kubernetes-models, plus the prometheus-operator models for ServiceMonitor).

import { renderCdn } from '../components/cdn/testing.ts';
import { kubernetesObjects, validateKubernetesObjects } from './harness/kubernetes/index.ts';

describe.each(['home', 'edge-only'] as const)('cdn objects of a %s region', (role) => {
  it('are all valid against their schema, and every kind a user expects is there', async () => {
    const { resources } = await renderCdn(role);
    const objects = kubernetesObjects(resources);
    const results = validateKubernetesObjects(objects);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
    expect(results).toHaveLength(objects.length);

    const kinds = new Set(objects.map((object) => `${object.apiVersion}/${object.kind}`));
    expect([...kinds].sort()).toEqual([
      'apps/v1/Deployment',
      'autoscaling/v2/HorizontalPodAutoscaler',
      'monitoring.coreos.com/v1/ServiceMonitor',
      'networking.k8s.io/v1/Ingress',
      'networking.k8s.io/v1/NetworkPolicy',
      'policy/v1/PodDisruptionBudget',
      'v1/Namespace',
      'v1/Secret',
      'v1/Service',
      'v1/ServiceAccount',
    ]);
  });
});

describe('schema validation of the cdn objects', () => {
  it('catches a broken object, so the check above can fail', async () => {
    const { resources } = await renderCdn('home');
    const hpa = kubernetesObjects(resources).find(
      (object) => object.kind === 'HorizontalPodAutoscaler',
    );
    const broken = structuredClone(hpa) as unknown as { spec: { maxReplicas: unknown } };
    broken.spec.maxReplicas = 'many';
    const [result] = validateKubernetesObjects([broken as never]);
    expect(result?.status).toBe('invalid');
  });
});
