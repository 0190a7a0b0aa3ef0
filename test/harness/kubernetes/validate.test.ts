import { validateKubernetesObjects } from './index.ts';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'edge', namespace: 'edgeplane' },
  spec: {
    selector: { matchLabels: { app: 'edge' } },
    template: {
      metadata: { labels: { app: 'edge' } },
      spec: {
        containers: [
          { name: 'edge', image: 'edgeplane/runtime:0.1.0', ports: [{ containerPort: 8080 }] },
        ],
      },
    },
  },
};

describe('validateKubernetesObjects', () => {
  it('accepts valid objects, rejects wrong types and missing fields, and names kinds it cannot check', () => {
    const results = validateKubernetesObjects([
      deployment,
      {
        ...deployment,
        metadata: { name: 'bad-port' },
        spec: {
          ...deployment.spec,
          template: {
            ...deployment.spec.template,
            spec: {
              containers: [{ name: 'edge', image: 'x', ports: [{ containerPort: '8080' }] }],
            },
          },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'no-ports' }, spec: { ports: [{}] } },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'cdn' },
        spec: {
          secretName: 'cdn-tls',
          issuerRef: { name: 'local-ca', kind: 'ClusterIssuer' },
          dnsNames: ['cdn.example.com'],
        },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'valid',
      'invalid',
      'invalid',
      'valid',
      'no-schema',
    ]);
    expect(results[1]?.message).toContain('containerPort must be integer');
    expect(results[2]?.message).toContain('port');
  });
});
