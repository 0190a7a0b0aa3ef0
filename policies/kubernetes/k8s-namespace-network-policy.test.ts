import { resource, stackViolationsOf, unknownValue, violationsInPlan } from '../lib/testing.ts';
import { k8sNamespaceNetworkPolicy } from './k8s-namespace-network-policy.ts';

const namespace = (name: unknown) =>
  resource('kubernetes:core/v1:Namespace', { metadata: { name } });
const networkPolicy = (namespaceName: string, spec: Record<string, unknown>) =>
  resource('kubernetes:networking.k8s.io/v1:NetworkPolicy', {
    metadata: { name: 'p', namespace: namespaceName },
    spec,
  });
const denyIngress = { podSelector: {}, policyTypes: ['Ingress'] };

const check = async (resources: ReturnType<typeof resource>[], config?: object) =>
  (await stackViolationsOf(k8sNamespaceNetworkPolicy, resources, config as never)).map(
    (v) => v.message,
  );

describe('k8s-namespace-network-policy', () => {
  it('passes namespaces with a default-deny policy, and the example stacks', async () => {
    expect(await check([namespace('a'), networkPolicy('a', denyIngress)])).toEqual([]);
    // An empty podSelector with no policyTypes and no rules isolates ingress by Kubernetes' default.
    expect(
      await check([namespace('a'), networkPolicy('a', { podSelector: { matchLabels: {} } })]),
    ).toEqual([]);
    expect(await violationsInPlan(k8sNamespaceNetworkPolicy, 'k3s-dev')).toEqual([]);
  });

  it('fails a namespace with no policy, or only policies that allow or select some pods', async () => {
    expect(await check([namespace('a'), networkPolicy('b', denyIngress)])).toEqual([
      'namespace a has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress])',
    ]);
    expect(
      await check([
        namespace('a'),
        networkPolicy('a', {
          podSelector: { matchLabels: { app: 'x' } },
          policyTypes: ['Ingress'],
        }),
        networkPolicy('a', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }),
      ]),
    ).toEqual([
      'namespace a has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress]); it has 2 other NetworkPolicy(ies)',
    ]);
  });

  it('requires Egress isolation too with requireEgress', async () => {
    const resources = [namespace('a'), networkPolicy('a', denyIngress)];
    expect(await check(resources, { requireEgress: true })).toEqual([
      'namespace a has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress]); it has 1 other NetworkPolicy(ies)',
    ]);
    expect(
      await check(
        [
          namespace('a'),
          networkPolicy('a', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
        ],
        {
          requireEgress: true,
        },
      ),
    ).toEqual([]);
  });

  it('skips namespaces whose name is unknown or missing', async () => {
    expect(
      await check([namespace(unknownValue), resource('kubernetes:core/v1:Namespace', {})]),
    ).toEqual([]);
  });
});
