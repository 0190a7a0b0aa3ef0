// The TLS component under the recording mocks: the pinned chart with CRDs, issuers ordered after
// it, one DNS-01 solver per provider, the local CA chain, secrets kept secret, and every object
// valid against the Kubernetes and cert-manager schemas.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  kubernetesObjects,
  validateKubernetesObjects,
} from '../../test/harness/kubernetes/index.ts';
import { type RecordedResource, secretLeaks } from '../../test/harness/pulumi/index.ts';
import { onDefaultProvider, recordProgram, testCluster } from '../cluster/testing.ts';
import { CertManager, type CertManagerArgs } from './cert-manager.ts';
import { certManagerChart, certManagerChartKeys } from './cert-manager-chart.ts';
import { unknownChartValues } from './chart-values.ts';

const cloudflareToken = 'cloudflare-test-token-0123456789';

async function plan(args: Omit<CertManagerArgs, 'cluster'>) {
  return recordProgram(() => new CertManager('tls', { cluster: testCluster(), ...args }));
}

function named(resources: readonly RecordedResource[], name: string): RecordedResource {
  const found = resources.find((resource) => resource.name === name);
  if (!found) throw new Error(`no ${name} among ${resources.map((r) => r.name).join(', ')}`);
  return found;
}

function issuerNames(resources: readonly RecordedResource[]): string[] {
  return resources
    .filter((resource) => resource.inputs.kind === 'ClusterIssuer')
    .map((resource) => (resource.inputs.metadata as { name: string }).name)
    .sort();
}

describe('CertManager with the local CA (k3s, dev)', () => {
  let resources: RecordedResource[];
  let tls: CertManager;

  beforeAll(async () => {
    const recorded = await plan({ environment: 'dev', issuer: 'local-ca' });
    resources = recorded.resources;
    tls = recorded.result;
  });

  it('installs the pinned chart with its CRDs into the cert-manager namespace', () => {
    const release = named(resources, 'tls-release');
    expect(release.type).toBe('kubernetes:helm.sh/v3:Release');
    expect(release.inputs).toMatchObject({
      chart: 'cert-manager',
      version: certManagerChart.version,
      repositoryOpts: { repo: 'https://charts.jetstack.io' },
      namespace: 'cert-manager',
      skipAwait: false,
      atomic: true,
      values: { crds: { enabled: true, keep: true } },
    });
    expect(certManagerChart.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(named(resources, 'tls-namespace').inputs.metadata).toMatchObject({
      name: 'cert-manager',
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
    expect(release.dependencies).toContain(named(resources, 'tls-namespace').urn);
  });

  it('passes only values the pinned chart defines', () => {
    const values = named(resources, 'tls-release').inputs.values as Record<string, unknown>;
    expect(unknownChartValues(values, certManagerChartKeys)).toEqual([]);
  });

  it('labels the chart objects as edgeplane, leaving the chart its own name and managed-by', () => {
    const values = named(resources, 'tls-release').inputs.values as {
      global: { commonLabels: Record<string, string> };
    };
    expect(values.global.commonLabels).toEqual({
      'app.kubernetes.io/part-of': 'edgeplane',
      'edgeplane.dev/environment': 'dev',
    });
  });

  it('builds the chain self-signed root -> CA certificate -> CA issuer, each after the CRDs', () => {
    const release = named(resources, 'tls-release');
    const selfSigned = named(resources, 'tls-edgeplane-selfsigned');
    const root = named(resources, 'tls-local-ca-root');
    const ca = named(resources, 'tls-edgeplane-local-ca');
    expect(issuerNames(resources)).toEqual(['edgeplane-local-ca', 'edgeplane-selfsigned']);
    expect(selfSigned.inputs.spec).toEqual({ selfSigned: {} });
    expect(root.inputs).toMatchObject({
      kind: 'Certificate',
      metadata: { name: 'edgeplane-ca', namespace: 'cert-manager' },
      spec: {
        isCA: true,
        secretName: 'edgeplane-ca',
        issuerRef: { name: 'edgeplane-selfsigned', kind: 'ClusterIssuer' },
      },
    });
    expect(ca.inputs.spec).toEqual({ ca: { secretName: 'edgeplane-ca' } });
    for (const resource of [selfSigned, root, ca])
      expect(resource.dependencies).toContain(release.urn);
    expect(root.dependencies).toContain(selfSigned.urn);
    expect(ca.dependencies).toContain(root.urn);
  });

  it('hands the CA issuer and what to wait for to the CDN', async () => {
    expect(tls.clusterIssuerName).toBe('edgeplane-local-ca');
    const urns = await Promise.all(
      tls.ready.map((resource) => new Promise((r) => resource.urn.apply(r))),
    );
    expect(urns).toEqual([
      named(resources, 'tls-release').urn,
      named(resources, 'tls-edgeplane-local-ca').urn,
    ]);
  });

  it('puts every Kubernetes resource on the explicit provider, under the component, with the labels', () => {
    expect(onDefaultProvider(resources)).toEqual([]);
    const component = named(resources, 'tls');
    for (const resource of resources.filter((r) => r.type.startsWith('kubernetes:'))) {
      expect({ name: resource.name, parent: resource.parent }).toEqual({
        name: resource.name,
        parent: component.urn,
      });
    }
    for (const object of kubernetesObjects(resources)) {
      expect(object.metadata).toMatchObject({
        labels: { 'app.kubernetes.io/part-of': 'edgeplane', 'edgeplane.dev/environment': 'dev' },
      });
    }
  });

  it('renders objects valid against the Kubernetes and cert-manager schemas', () => {
    const results = validateKubernetesObjects(kubernetesObjects(resources));
    // Namespace, its default-deny and allow NetworkPolicies, two issuers and the CA certificate.
    expect(results).toHaveLength(6);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
  });
});

const dnsCases: {
  provider: string;
  dns01: NonNullable<CertManagerArgs['dns01']>;
  solver: Record<string, unknown>;
}[] = [
  {
    provider: 'route53',
    dns01: {
      provider: 'route53',
      region: 'us-east-1',
      hostedZoneId: 'Z0123456789',
      zone: 'example.com',
    },
    solver: { route53: { region: 'us-east-1', hostedZoneID: 'Z0123456789' } },
  },
  {
    provider: 'clouddns',
    dns01: { provider: 'clouddns', project: 'edgeplane-prod', zone: 'example.com' },
    solver: { cloudDNS: { project: 'edgeplane-prod' } },
  },
  {
    provider: 'cloudflare',
    dns01: {
      provider: 'cloudflare',
      apiToken: pulumi.secret(cloudflareToken),
      zone: 'example.com',
    },
    solver: {
      cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } },
    },
  },
];

describe.each(dnsCases)(
  "CertManager with Let's Encrypt over $provider",
  ({ provider, dns01, solver }) => {
    let resources: RecordedResource[];
    let tls: CertManager;

    beforeAll(async () => {
      const recorded = await plan({
        environment: 'prod',
        issuer: 'letsencrypt',
        acmeEmail: 'ops@example.com',
        dns01,
        highlyAvailable: true,
      });
      resources = recorded.resources;
      tls = recorded.result;
    });

    it('creates production and staging issuers with the DNS-01 solver for the zone', () => {
      expect(issuerNames(resources)).toEqual([
        'edgeplane-letsencrypt',
        'edgeplane-letsencrypt-staging',
      ]);
      const production = named(resources, 'tls-edgeplane-letsencrypt');
      const staging = named(resources, 'tls-edgeplane-letsencrypt-staging');
      expect(production.inputs.spec).toEqual({
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'ops@example.com',
          privateKeySecretRef: { name: 'edgeplane-letsencrypt-account-key' },
          solvers: [{ selector: { dnsZones: ['example.com'] }, dns01: solver }],
        },
      });
      expect((staging.inputs.spec as { acme: { server: string } }).acme.server).toBe(
        'https://acme-staging-v02.api.letsencrypt.org/directory',
      );
      for (const issuer of [production, staging]) {
        expect(issuer.dependencies).toContain(named(resources, 'tls-release').urn);
      }
      expect(tls.clusterIssuerName).toBe('edgeplane-letsencrypt');
    });

    it('keeps the Cloudflare token secret, in a Secret the issuers wait for', () => {
      const secret = resources.find((resource) => resource.name === 'tls-cloudflare-token');
      if (provider !== 'cloudflare') {
        expect(secret).toBeUndefined();
        return;
      }
      expect(secret?.inputs).toMatchObject({
        metadata: { name: 'cloudflare-api-token', namespace: 'cert-manager' },
        stringData: { 'api-token': cloudflareToken },
      });
      expect(secret?.secretInputPaths).toContain('stringData');
      expect(named(resources, 'tls-edgeplane-letsencrypt').dependencies).toContain(secret?.urn);
      expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [cloudflareToken])).toEqual(
        [],
      );
    });

    it('runs cert-manager highly available, on the explicit provider, with valid objects', () => {
      const values = named(resources, 'tls-release').inputs.values as Record<
        string,
        Record<string, unknown>
      >;
      expect(values.replicaCount).toBe(2);
      expect(values.webhook).toMatchObject({
        replicaCount: 2,
        podDisruptionBudget: { enabled: true },
      });
      expect(unknownChartValues(values, certManagerChartKeys)).toEqual([]);
      expect(onDefaultProvider(resources)).toEqual([]);
      const results = validateKubernetesObjects(kubernetesObjects(resources));
      expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
    });
  },
);

describe('CertManager arguments', () => {
  it("refuses Let's Encrypt without an email before registering anything", async () => {
    await expect(plan({ environment: 'prod', issuer: 'letsencrypt-staging' })).rejects.toThrow(
      'tls: the letsencrypt-staging issuer needs acmeEmail (tls.email) and dns01',
    );
  });

  it("adds the local CA next to Let's Encrypt when asked, and a ServiceMonitor after the monitoring CRDs", async () => {
    const { resources } = await recordProgram(() => {
      const cluster = testCluster();
      // Stands in for the Prometheus Operator's CRDs (a component's dependents wait for its children).
      const crds = new k8s.apiextensions.v1.CustomResourceDefinition(
        'monitoring-crds',
        {
          metadata: { name: 'servicemonitors.monitoring.coreos.com' },
          spec: {
            group: 'monitoring.coreos.com',
            names: { kind: 'ServiceMonitor', plural: 'servicemonitors' },
            scope: 'Namespaced',
            versions: [],
          },
        },
        { provider: cluster.provider },
      );
      return new CertManager('tls', {
        cluster,
        environment: 'staging',
        issuer: 'letsencrypt-staging',
        acmeEmail: 'ops@example.com',
        dns01: { provider: 'route53', region: 'eu-west-1', zone: 'example.com' },
        localCa: true,
        serviceAccountAnnotations: {
          'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cm',
        },
        monitoring: { selectorLabels: { release: 'monitoring' }, ready: [crds] },
      });
    });
    expect(issuerNames(resources)).toEqual([
      'edgeplane-letsencrypt',
      'edgeplane-letsencrypt-staging',
      'edgeplane-local-ca',
      'edgeplane-selfsigned',
    ]);
    const release = named(resources, 'tls-release');
    expect(release.inputs.values).toMatchObject({
      serviceAccount: {
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cm' },
      },
      prometheus: { servicemonitor: { enabled: true, labels: { release: 'monitoring' } } },
    });
    expect(release.dependencies).toContain(named(resources, 'monitoring-crds').urn);
    expect(
      (
        named(resources, 'tls-edgeplane-letsencrypt').inputs.spec as {
          acme: { solvers: unknown[] };
        }
      ).acme.solvers,
    ).toEqual([
      { selector: { dnsZones: ['example.com'] }, dns01: { route53: { region: 'eu-west-1' } } },
    ]);
  });
});

describe('unknownChartValues', () => {
  it('names misspelled and unknown keys, descending only into sections', () => {
    expect(
      unknownChartValues(
        {
          crds: { enable: true },
          replicas: 2,
          webhook: { resources: { requests: { cpu: '1' } }, replicaCont: 1 },
          global: { commonLabels: { anything: 'goes' } },
        },
        certManagerChartKeys,
      ),
    ).toEqual(['crds.enable', 'replicas', 'webhook.replicaCont']);
  });
});
