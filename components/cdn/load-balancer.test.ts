// The Cdn's cloud entry: LoadBalancer Services instead of an Ingress, their addresses as outputs,
// and the origin admitting clients from its load balancer. Without the option nothing changes.
import type { CdnArgs } from './args.ts';
import { validateCdnArgs } from './args-schema.ts';
import { fakeRuntime, kubernetesName, ofType, renderCdn, resolved } from './testing.ts';

const annotations = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' };

describe('Cdn with loadBalancer', () => {
  it('exposes the edge and the home origin through LoadBalancer Services, with no Ingress', async () => {
    const { cdn, resources } = await renderCdn('home', { loadBalancer: { annotations } });
    const services = ofType(resources, 'core/v1:Service').filter(
      (service) => (service.inputs.spec as { type?: string }).type === 'LoadBalancer',
    );
    expect(services.map(kubernetesName).sort()).toEqual([
      'edgeplane-edge-public',
      'edgeplane-origin-public',
    ]);
    for (const service of services) {
      expect((service.inputs.metadata as { annotations: unknown }).annotations).toEqual(
        annotations,
      );
      expect(service.inputs.spec).toMatchObject({ externalTrafficPolicy: 'Local' });
    }
    const edgeService = services.find(
      (service) => kubernetesName(service) === 'edgeplane-edge-public',
    );
    const edgePorts = (edgeService?.inputs.spec as { ports?: unknown[] } | undefined)?.ports;
    expect(edgePorts).toEqual([
      { name: 'https', port: 443, targetPort: 8080, protocol: 'TCP' },
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
    ]);
    expect(ofType(resources, 'networking.k8s.io/v1:Ingress')).toEqual([]);
    expect(cdn.loadBalancers).toBeDefined();
    expect(await resolved(cdn.loadBalancers?.edge ?? failed())).toBe(
      'cdn-edgeplane-edge-public.elb.mock',
    );
    expect(await resolved(cdn.loadBalancers?.origin ?? failed())).toBe(
      'cdn-edgeplane-origin-public.elb.mock',
    );
    const originPolicy = ofType(resources, 'networking.k8s.io/v1:NetworkPolicy').find(
      (policy) => kubernetesName(policy) === 'origin-allow-edges-and-ingress',
    );
    // Clients come through the load balancer, whose source addresses are the clients' own.
    expect((originPolicy?.inputs.spec as { ingress?: unknown[] } | undefined)?.ingress).toEqual([
      { ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  it('exposes only the edge in an edge-only region', async () => {
    const { cdn, resources } = await renderCdn('edge-only', { loadBalancer: { annotations } });
    const services = ofType(resources, 'core/v1:Service').filter(
      (service) => (service.inputs.spec as { type?: string }).type === 'LoadBalancer',
    );
    expect(services.map(kubernetesName)).toEqual(['edgeplane-edge-public']);
    expect(cdn.loadBalancers?.origin).toBeUndefined();
  });

  it('keeps the Ingress and no load balancer without the option (k3s)', async () => {
    const { cdn, resources } = await renderCdn('home');
    expect(ofType(resources, 'networking.k8s.io/v1:Ingress')).toHaveLength(1);
    expect(
      ofType(resources, 'core/v1:Service').filter(
        (service) => (service.inputs.spec as { type?: string }).type === 'LoadBalancer',
      ),
    ).toEqual([]);
    expect(cdn.loadBalancers).toBeUndefined();
  });

  it('needs an IngressClass only without a load balancer', () => {
    // Plain values only: validation runs before any resource exists.
    const args = (loadBalancer?: { annotations: Record<string, string> }) =>
      ({
        domain: 'cdn.example.com',
        cluster: { region: 'us-east-1', ingressClassName: '' },
        tls: { clusterIssuerName: 'edgeplane-letsencrypt' },
        monitoring: { namespace: 'monitoring', otlpEndpoint: 'http://otel.monitoring.svc:4318' },
        runtime: fakeRuntime,
        region: { role: 'edge-only', homeOrigin: { url: 'https://api.cdn.example.com' } },
        loadBalancer,
      }) as unknown as CdnArgs;
    expect(() => validateCdnArgs('cdn', args())).toThrow(
      'cluster.ingressClassName: must name an IngressClass, e.g. traefik (or give loadBalancer)',
    );
    expect(() => validateCdnArgs('cdn', args({ annotations }))).not.toThrow();
  });
});

function failed(): never {
  throw new Error('expected a load balancer address');
}
