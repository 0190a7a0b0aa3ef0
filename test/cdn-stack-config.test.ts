// The cdn component fed the runtime settings of each example stack, as stacks/<cloud> will feed
// it: StackConfig['runtime'] fits CdnRuntimeSettings as it is, and what comes out is sound.
import { kubernetesName, renderCdn } from '../components/cdn/testing.ts';
import { envNames } from '../runtime/contract.ts';
import { loadStackConfig } from '../stacks/config.ts';
import { kubernetesObjects, validateKubernetesObjects } from './harness/kubernetes/index.ts';
import {
  exampleStackNames,
  exampleStackWith,
  type RecordedResource,
} from './harness/pulumi/index.ts';

const stackConfig = (stack: string) => loadStackConfig(exampleStackWith(stack));

const specOf = (resources: RecordedResource[], type: string, name: string) =>
  resources.find((r) => r.type === `kubernetes:${type}` && kubernetesName(r) === name)?.inputs
    .spec as Record<string, unknown>;

describe.each(exampleStackNames())('cdn with the runtime settings of %s', (stack) => {
  it('scales, sizes and configures the workloads as the stack says', async () => {
    const config = stackConfig(stack);
    const { resources } = await renderCdn('home', {
      runtime: config.runtime,
      domain: config.domain,
      environment: config.environment,
    });
    expect(
      specOf(resources, 'autoscaling/v2:HorizontalPodAutoscaler', 'edgeplane-edge'),
    ).toMatchObject({ minReplicas: config.runtime.edgeReplicas });
    const origin = specOf(resources, 'apps/v1:Deployment', 'edgeplane-origin') as {
      replicas: number;
      template: { spec: { containers: { resources: unknown }[] } };
    };
    expect(origin.replicas).toBe(config.runtime.originReplicas);
    expect(origin.template.spec.containers[0]?.resources).toMatchObject({
      requests: config.runtime.originResources,
      limits: { memory: config.runtime.originResources.memory },
    });
    const edge = specOf(resources, 'apps/v1:Deployment', 'edgeplane-edge') as {
      template: { spec: { containers: { env: { name: string; value?: string }[] }[] } };
    };
    expect(edge.template.spec.containers[0]?.env).toContainEqual({
      name: envNames.cacheMemoryMb,
      value: String(config.runtime.cacheMemoryMb),
    });
    const ingress = resources.find((r) => r.type === 'kubernetes:networking.k8s.io/v1:Ingress');
    if (!ingress) throw new Error('no Ingress');
    expect((ingress.inputs.spec as { tls: { hosts: string[] }[] }).tls[0]?.hosts).toContain(
      config.domain,
    );
    const labels = (ingress.inputs.metadata as { labels: Record<string, string> }).labels;
    expect(labels['edgeplane.dev/environment']).toBe(config.environment);

    const invalid = validateKubernetesObjects(kubernetesObjects(resources)).filter(
      (result) => result.status !== 'valid',
    );
    expect(invalid).toEqual([]);
  });
});

describe('CPU limits', () => {
  it.each([
    ['250m', '500m'],
    ['2', '4000m'],
    ['1.5', '3000m'],
  ])('a request of %s gets a limit of %s', async (cpu, limit) => {
    const config = stackConfig('k3s-dev');
    const { resources } = await renderCdn('home', {
      runtime: { ...config.runtime, originResources: { cpu, memory: '512Mi' } },
    });
    const origin = specOf(resources, 'apps/v1:Deployment', 'edgeplane-origin') as {
      template: { spec: { containers: { resources: { limits: { cpu: string } } }[] } };
    };
    expect(origin.template.spec.containers[0]?.resources.limits.cpu).toBe(limit);
  });
});
