import { resource, stackViolationsOf, unknownValue, violationsInPlan } from '../lib/testing.ts';
import { k8sPdbAllowsDisruption } from './k8s-pdb-allows-disruption.ts';
import { deployment } from './workload-fixtures.ts';

const pdb = (spec: Record<string, unknown>) =>
  resource('kubernetes:policy/v1:PodDisruptionBudget', {
    metadata: { name: 'app', namespace: 'edgeplane' },
    spec: { selector: { matchLabels: { app: 'app' } }, ...spec },
  });

const hpa = (minReplicas: number) =>
  resource('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', {
    metadata: { name: 'app', namespace: 'edgeplane' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'app' }, minReplicas, maxReplicas: 10 },
  });

const check = async (...resources: ReturnType<typeof resource>[]) =>
  (await stackViolationsOf(k8sPdbAllowsDisruption, resources)).map((v) => v.message);

describe('k8s-pdb-allows-disruption', () => {
  it('passes budgets that let a pod go, and the example stacks', async () => {
    expect(await check(deployment(undefined, 3), pdb({ maxUnavailable: 1 }))).toEqual([]);
    expect(await check(deployment(undefined, 3), pdb({ minAvailable: 2 }))).toEqual([]);
    expect(await check(deployment(undefined, 1), hpa(3), pdb({ minAvailable: 2 }))).toEqual([]);
    expect(await violationsInPlan(k8sPdbAllowsDisruption, 'k3s-dev')).toEqual([]);
  });

  it('fails budgets that block every eviction', async () => {
    expect(await check(pdb({ maxUnavailable: 0 }))).toEqual([
      'PodDisruptionBudget edgeplane/app sets maxUnavailable 0: no pod can ever be evicted',
    ]);
    expect(await check(pdb({ minAvailable: '100%' }))).toEqual([
      'PodDisruptionBudget edgeplane/app sets minAvailable 100%: no pod can ever be evicted',
    ]);
    expect(await check(deployment(undefined, 2), pdb({ minAvailable: 2 }))).toEqual([
      expect.stringContaining('sets minAvailable 2 for edgeplane/app, which runs 2 replica(s)'),
    ]);
    const [violation] = await stackViolationsOf(k8sPdbAllowsDisruption, [
      deployment(undefined, 5),
      hpa(1),
      pdb({ minAvailable: 1 }),
    ]);
    expect(violation).toMatchObject({
      enforcementLevel: 'mandatory',
      message: expect.stringContaining('runs 1 replica(s)'),
    });
  });

  it('skips what it cannot know: unknown or missing values, budgets selecting no planned workload', async () => {
    expect(await check(pdb({ minAvailable: unknownValue }))).toEqual([]);
    expect(
      await check(deployment(undefined, 2), pdb({ minAvailable: 2, selector: unknownValue })),
    ).toEqual([]);
    expect(await check(pdb({ minAvailable: 5 }))).toEqual([]);
    expect(await check(resource('kubernetes:policy/v1:PodDisruptionBudget', {}))).toEqual([]);
  });
});
