import { resource, unknownValue, violationsInPlan, violationsOf } from '../lib/testing.ts';
import { k8sLoadBalancerEntryOnly } from './k8s-load-balancer-entry-only.ts';

const service = (type: unknown, labels: Record<string, unknown> = {}) =>
  resource('kubernetes:core/v1:Service', {
    metadata: { name: 'web', namespace: 'edgeplane', labels },
    spec: { type, ports: [{ port: 443 }] },
  });

describe('k8s-load-balancer-entry-only', () => {
  it('passes ClusterIP Services and labelled CDN entries, and the example stacks (aws-prod has entries)', async () => {
    expect(await violationsOf(k8sLoadBalancerEntryOnly, service('ClusterIP'))).toEqual([]);
    expect(await violationsOf(k8sLoadBalancerEntryOnly, service(undefined))).toEqual([]);
    expect(
      await violationsOf(
        k8sLoadBalancerEntryOnly,
        service('LoadBalancer', { 'edgeplane.dev/entry': 'true' }),
      ),
    ).toEqual([]);
    expect(await violationsInPlan(k8sLoadBalancerEntryOnly, 'aws-prod')).toEqual([]);
  });

  it('fails any other LoadBalancer Service', async () => {
    const found = await violationsOf(
      k8sLoadBalancerEntryOnly,
      service('LoadBalancer', { app: 'web' }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        enforcementLevel: 'mandatory',
        message: expect.stringContaining(
          'Service edgeplane/web is of type LoadBalancer but is not a CDN entry',
        ),
      }),
    ]);
  });

  it('does not guess when the label or the type is unknown', async () => {
    expect(await violationsOf(k8sLoadBalancerEntryOnly, service(unknownValue))).toEqual([]);
    expect(
      await violationsOf(
        k8sLoadBalancerEntryOnly,
        service('LoadBalancer', { 'edgeplane.dev/entry': unknownValue }),
      ),
    ).toEqual([]);
  });
});
