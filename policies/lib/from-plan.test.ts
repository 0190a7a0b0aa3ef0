// A planned example stack, seen as a policy pack sees it under `pulumi preview`.
import type { RecordedResource } from '../../test/harness/pulumi/resource-recorder.ts';
import { policyResourcesFromPlan } from './from-plan.ts';
import { plannedResources } from './testing.ts';

const recorded = (name: string, type: string, extra: Partial<RecordedResource> = {}) => ({
  urn: `urn:pulumi:dev::edgeplane::edgeplane:stack:K3s$${type}::${name}`,
  type,
  name,
  custom: true,
  protect: false,
  inputs: {},
  secretInputPaths: [],
  ...extra,
});

describe('policyResourcesFromPlan (hand-built records)', () => {
  it('puts a custom resource that names no provider on its package default provider', () => {
    const explicit = recorded('explicit', 'pulumi:providers:random', { inputs: { version: '4' } });
    const [onDefault, onExplicit, component, providerItself] = policyResourcesFromPlan([
      recorded('a', 'random:index/randomPassword:RandomPassword'),
      recorded('b', 'random:index/randomPassword:RandomPassword', {
        provider: `${explicit.urn}::explicit-id`,
      }),
      recorded('c', 'edgeplane:stack:K3s', { custom: false }),
      explicit,
    ]);
    expect(onDefault?.provider).toEqual({
      type: 'pulumi:providers:random',
      name: 'default',
      urn: 'urn:pulumi:dev::edgeplane::pulumi:providers:random::default',
      props: {},
    });
    expect(onExplicit?.provider).toEqual({
      type: 'pulumi:providers:random',
      name: 'explicit',
      urn: explicit.urn,
      props: { version: '4' },
    });
    expect(component?.provider).toBeUndefined();
    expect(providerItself?.provider).toBeUndefined();
  });
});

describe('policyResourcesFromPlan (k3s-dev)', () => {
  it('gives explicit providers with their inputs and default providers to the rest', async () => {
    const resources = await plannedResources('k3s-dev');
    const deployments = resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      expect(deployment.provider).toMatchObject({ type: 'pulumi:providers:kubernetes' });
      expect(deployment.provider?.name).not.toMatch(/^default/);
      expect(resources.map((r) => r.urn)).toContain(deployment.provider?.urn);
    }
    const components = resources.filter((r) => r.type.startsWith('edgeplane:'));
    expect(components.length).toBeGreaterThan(0);
    for (const component of components) expect(component.provider).toBeUndefined();
  });

  it('keeps parents, dependencies, protect and the secret outputs a Kubernetes Secret asks for', async () => {
    const resources = await plannedResources('k3s-dev');
    const urns = new Set(resources.map((r) => r.urn));
    const top = resources.find((r) => r.type === 'edgeplane:stack:K3s');
    expect(top?.parent).toBeUndefined();
    for (const r of resources) {
      // The stack component and the providers it hands down are the roots.
      if (r !== top && !r.type.startsWith('pulumi:providers:'))
        expect(urns.has(r.parent ?? '')).toBe(true);
      for (const dependency of r.dependencies ?? []) expect(urns.has(dependency)).toBe(true);
      expect(typeof r.opts?.protect).toBe('boolean');
    }
    expect(resources.some((r) => (r.dependencies ?? []).length > 0)).toBe(true);
    const secrets = resources.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.opts?.additionalSecretOutputs).toEqual(
        expect.arrayContaining(['data', 'stringData']),
      );
    }
  });
});
