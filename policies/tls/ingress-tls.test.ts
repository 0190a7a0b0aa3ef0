import { resource, unknownValue, violationsInPlan, violationsOf } from '../lib/testing.ts';
import { ingressTls } from './ingress-tls.ts';

const ingress = (spec: Record<string, unknown>) =>
  resource('kubernetes:networking.k8s.io/v1:Ingress', {
    metadata: { name: 'cdn', namespace: 'edgeplane' },
    spec,
  });
const rules = [{ host: 'cdn.example.com' }, { host: 'api.cdn.example.com' }];
const messages = async (spec: Record<string, unknown>) =>
  (await violationsOf(ingressTls, ingress(spec))).map((violation) => violation.message);

describe('ingress-tls', () => {
  it('passes an Ingress whose TLS covers every host (wildcards one label deep), and the example stacks', async () => {
    expect(
      await messages({
        rules,
        tls: [{ hosts: ['cdn.example.com', 'api.cdn.example.com'], secretName: 'tls' }],
      }),
    ).toEqual([]);
    expect(
      await messages({
        rules: [rules[1]],
        tls: [{ hosts: ['*.cdn.example.com'], secretName: 'tls' }],
      }),
    ).toEqual([]);
    expect(await violationsInPlan(ingressTls, 'k3s-dev')).toEqual([]);
  });

  it('fails an Ingress without TLS, without a certificate Secret, or with a host left out', async () => {
    expect(await messages({ rules })).toEqual([
      'Ingress edgeplane/cdn has no spec.tls: its hosts are served over plain HTTP',
    ]);
    expect(await messages({ rules, tls: [{ hosts: ['cdn.example.com'] }] })).toEqual([
      'Ingress edgeplane/cdn: spec.tls[0] names no certificate secretName',
      'Ingress edgeplane/cdn routes api.cdn.example.com but no spec.tls entry covers it',
    ]);
    expect(
      await messages({
        rules: [{ host: 'a.b.example.com' }],
        tls: [{ hosts: ['*.example.com'], secretName: 'tls' }],
      }),
    ).toEqual(['Ingress edgeplane/cdn routes a.b.example.com but no spec.tls entry covers it']);
  });

  it('skips unknown TLS and tolerates missing rules', async () => {
    expect(await messages({ rules, tls: unknownValue })).toEqual([]);
    expect(await messages({ tls: [{ hosts: ['x.example.com'], secretName: 'tls' }] })).toEqual([]);
  });
});
