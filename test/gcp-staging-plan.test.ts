// The whole gcp-staging plan, as `pulumi preview` would register it, asserted per region: one GCP
// provider and one GKE cluster (with its own Kubernetes provider) per region, Cloud SQL, Memorystore
// and the origin only at home, edges everywhere following the home origin over TLS, geo records
// covering every edge region, nothing on a default provider, secrets kept secret, every rendered
// Kubernetes object valid. Cloudflare and external-dns variants, and bad multi-region config.
import { envNames } from '../runtime/contract.ts';
import { kubernetesObjects, validateKubernetesObjects } from './harness/kubernetes/index.ts';
import {
  type Plan,
  placeholderSecrets,
  planStack,
  type RecordedResource,
  ResourceRecorder,
  secretLeaks,
} from './harness/pulumi/index.ts';
import { mockPublicAddress } from './harness/pulumi/mock-state.ts';

const regions = ['europe-west1', 'us-central1'];
const [home = '', ...others] = regions;
const domain = 'cdn.staging.example.com';

let plan: Plan;
beforeAll(async () => {
  plan = await planStack('gcp-staging');
});

const ofType = (resources: RecordedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
/** The URN of the explicit provider a resource uses (its reference is `<urn>::<id>`). */
const providerUrn = (resource: RecordedResource) =>
  resource.provider?.split('::').slice(0, -1).join('::');

/** The region a resource runs in: its GCP provider's region, or its GKE cluster's (cluster-<region>). */
function regionOf(resources: RecordedResource[], resource: RecordedResource): string | undefined {
  const urns = new Map(resources.map((entry) => [entry.urn, entry]));
  const provider = urns.get(providerUrn(resource) ?? '');
  if (!provider) return undefined;
  if (provider.type === 'pulumi:providers:gcp') return String(provider.inputs.region);
  const cluster = urns.get(provider.parent ?? '');
  return cluster?.type === 'edgeplane:cluster:Gke'
    ? cluster.name.replace(/^cluster-/, '')
    : undefined;
}

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
}
interface Deployment {
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[] } } };
}

describe('gcp-staging plan', () => {
  it('has one GCP provider per region, with the project and region set', () => {
    const providers = ofType(plan.resources, 'pulumi:providers:gcp');
    expect(
      providers.map((provider) => [provider.inputs.project, provider.inputs.region]).sort(),
    ).toEqual(regions.map((region) => ['edgeplane-staging', region]).sort());
  });

  it('puts nothing on a default provider', () => {
    // `random` needs no configuration, credentials or region: its default provider is the one
    // exception. Every cloud and Kubernetes resource names its provider.
    const custom = plan.resources.filter(
      (resource) =>
        resource.custom &&
        !resource.type.startsWith('pulumi:providers:') &&
        !resource.type.startsWith('random:'),
    );
    expect(custom.length).toBeGreaterThan(100);
    expect(
      custom.filter((resource) => !resource.provider).map((r) => `${r.type}::${r.name}`),
    ).toEqual([]);
  });

  it('gives every resource a unique name and parents everything under the stack component', () => {
    const urns = plan.resources.map((resource) => resource.urn);
    expect(new Set(urns).size).toBe(urns.length);
    const roots = plan.resources.filter((resource) => !resource.parent);
    // The random provider is created before the stack component, which hands it down.
    expect(roots.map((resource) => `${resource.type} ${resource.name}`)).toEqual([
      'pulumi:providers:random gcp-staging-random',
      'edgeplane:stack:Gcp gcp-staging',
    ]);
  });

  it('creates each regional GCP resource with its own region provider', () => {
    const regional = plan.resources.filter(
      (resource) => resource.type.startsWith('gcp:') && typeof resource.inputs.region === 'string',
    );
    expect(regional.length).toBeGreaterThan(8);
    for (const resource of regional) {
      expect([resource.name, regionOf(plan.resources, resource)]).toEqual([
        resource.name,
        resource.inputs.region,
      ]);
    }
    const clusters = ofType(plan.resources, 'gcp:container/cluster:Cluster');
    expect(clusters.map((cluster) => cluster.inputs.location).sort()).toEqual([...regions].sort());
    for (const cluster of clusters) {
      expect(regionOf(plan.resources, cluster)).toBe(cluster.inputs.location);
      expect(cluster.inputs).toMatchObject({
        privateClusterConfig: { enablePrivateNodes: true },
        workloadIdentityConfig: { workloadPool: 'edgeplane-staging.svc.id.goog' },
        datapathProvider: 'ADVANCED_DATAPATH',
        releaseChannel: { channel: 'REGULAR' },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: [{ cidrBlock: '203.0.113.0/24', displayName: 'office' }],
        },
      });
    }
  });

  it('runs one Kubernetes provider per cluster, and every Kubernetes object on one of them', () => {
    const urns = new Map(plan.resources.map((resource) => [resource.urn, resource]));
    const providers = ofType(plan.resources, 'pulumi:providers:kubernetes');
    expect(providers.map((provider) => urns.get(provider.parent ?? '')?.name).sort()).toEqual(
      regions.map((region) => `cluster-${region}`).sort(),
    );
    for (const provider of providers) expect(provider.secretInputPaths).toContain('kubeconfig');
    const kubernetes = plan.resources.filter(
      (resource) => resource.custom && resource.type.startsWith('kubernetes:'),
    );
    const regionsUsed = new Set(kubernetes.map((resource) => regionOf(plan.resources, resource)));
    expect([...regionsUsed].sort()).toEqual([...regions].sort());
  });

  it('keeps Cloud SQL, Memorystore and the origin at home; edges run in every region', () => {
    for (const type of [
      'gcp:sql/databaseInstance:DatabaseInstance',
      'gcp:redis/instance:Instance',
    ]) {
      const stores = ofType(plan.resources, type);
      expect(stores.map((store) => [store.inputs.region, regionOf(plan.resources, store)])).toEqual(
        [[home, home]],
      );
    }
    const deployments = ofType(plan.resources, 'kubernetes:apps/v1:Deployment');
    const where = (name: string) =>
      deployments
        .filter((deployment) => (deployment.inputs as unknown as Deployment).metadata.name === name)
        .map((deployment) => regionOf(plan.resources, deployment))
        .sort();
    expect(where('edgeplane-origin')).toEqual([home]);
    expect(where('edgeplane-edge')).toEqual([...regions].sort());
  });

  it('points edges outside home at the home origin over TLS, with the home edge token', () => {
    const env = (region: string, name: string) => {
      const deployment = ofType(plan.resources, 'kubernetes:apps/v1:Deployment').find(
        (resource) =>
          (resource.inputs as unknown as Deployment).metadata.name === 'edgeplane-edge' &&
          regionOf(plan.resources, resource) === region,
      );
      if (!deployment) throw new Error(`no edge Deployment in ${region}`);
      const container = (deployment.inputs as unknown as Deployment).spec.template.spec
        .containers[0];
      return container?.env?.find((entry) => entry.name === name)?.value;
    };
    for (const region of others)
      expect(env(region, envNames.originUrl)).toBe(`https://api.${domain}`);
    expect(env(home, envNames.originUrl)).toMatch(/^http:\/\/edgeplane-origin\.edgeplane\.svc:/);
    const tokens = ofType(plan.resources, 'kubernetes:core/v1:Secret')
      .filter((secret) =>
        String((secret.inputs.metadata as { name: string }).name).endsWith('-credentials'),
      )
      .map((secret) => (secret.inputs.stringData as Record<string, string>)[envNames.edgeToken]);
    expect(tokens.length).toBe(3);
    expect(new Set(tokens)).toEqual(new Set([`mock-password-${home}-edge-token`]));
  });

  it('answers the edge hostname by geography, covering every edge region at its ingress address', () => {
    const records = ofType(plan.resources, 'gcp:dns/recordSet:RecordSet');
    const edge = records.find((record) => record.inputs.name === `${domain}.`);
    if (!edge) throw new Error(`no record for ${domain}`);
    const geos = (
      edge.inputs.routingPolicy as {
        geos: { location: string; healthCheckedTargets: { externalEndpoints: string[] } }[];
      }
    ).geos;
    expect(geos.map((geo) => geo.location).sort()).toEqual([...regions].sort());
    for (const geo of geos) {
      expect(geo.healthCheckedTargets.externalEndpoints).toEqual([
        mockPublicAddress(`ingress-${geo.location}`),
      ]);
    }
    for (const name of [`api.${domain}.`, `dashboard.${domain}.`]) {
      expect(records.find((record) => record.inputs.name === name)?.inputs.rrdatas).toEqual([
        mockPublicAddress(`ingress-${home}`),
      ]);
    }
    expect(plan.outputs.ingressAddresses).toEqual(
      Object.fromEntries(regions.map((region) => [region, mockPublicAddress(`ingress-${region}`)])),
    );
  });

  it('lets cert-manager answer DNS-01 in Cloud DNS through Workload Identity, nothing broader', () => {
    const email = 'edgeplane-staging-dns@edgeplane-staging.iam.gserviceaccount.com';
    const certManager = ofType(plan.resources, 'kubernetes:helm.sh/v3:Release').filter(
      (release) => release.inputs.chart === 'cert-manager',
    );
    expect(certManager).toHaveLength(2);
    for (const release of certManager) {
      expect(release.inputs.values).toMatchObject({
        serviceAccount: { annotations: { 'iam.gke.io/gcp-service-account': email } },
      });
    }
    const binding = ofType(plan.resources, 'gcp:serviceaccount/iAMMember:IAMMember');
    expect(binding.map((member) => [member.inputs.role, member.inputs.member])).toEqual([
      [
        'roles/iam.workloadIdentityUser',
        'serviceAccount:edgeplane-staging.svc.id.goog[cert-manager/cert-manager]',
      ],
    ]);
    const issuers = ofType(plan.resources, 'kubernetes:cert-manager.io/v1:ClusterIssuer');
    const solvers = issuers.flatMap(
      (issuer) =>
        (issuer.inputs.spec as { acme?: { solvers: { dns01: unknown }[] } }).acme?.solvers ?? [],
    );
    expect(solvers.length).toBeGreaterThan(0);
    for (const solver of solvers)
      expect(solver.dns01).toEqual({ cloudDNS: { project: 'edgeplane-staging' } });
  });

  it('admits Traefik to the origin and the origin to the private data stores only', () => {
    const policies = kubernetesObjects(plan.resources).filter(
      (object) => object.kind === 'NetworkPolicy',
    );
    const text = JSON.stringify(policies);
    expect(text).toContain('"kubernetes.io/metadata.name":"traefik"');
    expect(text).toContain('10.240.0.0/16');
  });

  it('keeps every secret secret: config secrets, generated passwords, the Redis AUTH string', () => {
    const secrets = [
      ...Object.values(placeholderSecrets),
      'mock-redis-auth-cache',
      ...ofType(plan.resources, 'random:index/randomPassword:RandomPassword').map(
        (resource) => `mock-password-${resource.name}`,
      ),
    ];
    expect(secretLeaks(plan, secrets)).toEqual([]);
    expect(plan.secretOutputs).toEqual(['grafanaAdminPasswords', 'kubeconfigs']);
  });

  it('renders only objects valid against the Kubernetes schema', () => {
    const objects = kubernetesObjects(plan.resources);
    const results = validateKubernetesObjects(objects);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
    expect(results.length).toBe(objects.length);
  });

  it('exports where to reach the CDN', () => {
    expect(plan.outputs).toMatchObject({
      edgeHostname: domain,
      apiUrl: `https://api.${domain}`,
      dashboardUrl: `https://dashboard.${domain}`,
      gcpProject: 'edgeplane-staging',
      homeRegion: home,
      regions,
    });
  });
});

describe('gcp-staging with Cloudflare load balancing and external-dns', () => {
  let variant: Plan;
  beforeAll(async () => {
    variant = await planStack('gcp-staging', {
      overrides: {
        'edgeplane:dns': JSON.stringify({
          provider: 'cloudflare',
          zone: 'example.com',
          cloudflare: { accountId: '0123456789abcdef0123456789abcdef', loadBalancing: true },
          externalDns: true,
        }),
      },
    });
  });

  it('steers the edge hostname across every edge region from a pool per region', () => {
    const pools = ofType(variant.resources, 'cloudflare:index/loadBalancerPool:LoadBalancerPool');
    expect(
      pools.map((pool) => (pool.inputs.origins as { name: string }[])[0]?.name).sort(),
    ).toEqual([...regions].sort());
    const [balancer] = ofType(variant.resources, 'cloudflare:index/loadBalancer:LoadBalancer');
    expect(balancer?.inputs).toMatchObject({
      name: domain,
      steeringPolicy: 'geo',
      fallbackPool: `dns-${home}-id`,
    });
    const steered = new Set(
      Object.values(balancer?.inputs.regionPools as Record<string, string[]>).flat(),
    );
    expect([...steered].sort()).toEqual(regions.map((region) => `dns-${region}-id`).sort());
    expect(ofType(variant.resources, 'gcp:dns/recordSet:RecordSet')).toEqual([]);
  });

  it('runs external-dns in every cluster with the Cloudflare token from a Secret, and leaks no token', () => {
    const releases = ofType(variant.resources, 'kubernetes:helm.sh/v3:Release').filter(
      (release) => release.inputs.chart === 'external-dns',
    );
    expect(releases.map((release) => regionOf(variant.resources, release)).sort()).toEqual(
      [...regions].sort(),
    );
    for (const release of releases) {
      expect(release.inputs.values).toMatchObject({
        provider: { name: 'cloudflare' },
        policy: 'upsert-only',
        domainFilters: ['example.com'],
      });
    }
    const owners = releases.map(
      (release) => (release.inputs.values as { txtOwnerId: string }).txtOwnerId,
    );
    expect(new Set(owners).size).toBe(regions.length);
    expect(
      ofType(variant.resources, 'gcp:serviceaccount/account:Account').map(
        (a) => a.inputs.accountId,
      ),
    ).not.toContain('edgeplane-staging-dns');
    expect(secretLeaks(variant, Object.values(placeholderSecrets))).toEqual([]);
  });
});

describe('gcp-staging grown to three regions', () => {
  it('adds a cluster, edges and a geo answer for the new region, and nothing else at home', async () => {
    const three = [...regions, 'asia-southeast1'];
    const grown = await planStack('gcp-staging', {
      overrides: { 'edgeplane:regions': JSON.stringify(three) },
    });
    const clusters = ofType(grown.resources, 'gcp:container/cluster:Cluster');
    expect(clusters.map((cluster) => cluster.inputs.location).sort()).toEqual([...three].sort());
    const subnets = ofType(grown.resources, 'gcp:compute/subnetwork:Subnetwork');
    // Existing regions keep their address slots.
    expect(subnets.map((subnet) => [subnet.inputs.region, subnet.inputs.ipCidrRange])).toEqual([
      ['europe-west1', '10.0.0.0/20'],
      ['us-central1', '10.0.16.0/20'],
      ['asia-southeast1', '10.0.32.0/20'],
    ]);
    const deployments = ofType(grown.resources, 'kubernetes:apps/v1:Deployment');
    const where = (name: string) =>
      deployments
        .filter((deployment) => (deployment.inputs as unknown as Deployment).metadata.name === name)
        .map((deployment) => regionOf(grown.resources, deployment))
        .sort();
    expect(where('edgeplane-origin')).toEqual([home]);
    expect(where('edgeplane-edge')).toEqual([...three].sort());
    const edge = ofType(grown.resources, 'gcp:dns/recordSet:RecordSet').find(
      (record) => record.inputs.name === `${domain}.`,
    );
    const geos = (edge?.inputs.routingPolicy as { geos?: { location: string }[] } | undefined)
      ?.geos;
    expect((geos ?? []).map((geo) => geo.location).sort()).toEqual([...three].sort());
    expect(ofType(grown.resources, 'gcp:sql/databaseInstance:DatabaseInstance')).toHaveLength(1);
  });
});

describe('gcp-staging with external-dns on Cloud DNS', () => {
  it('binds external-dns to the DNS service account through Workload Identity', async () => {
    const variant = await planStack('gcp-staging', {
      overrides: {
        'edgeplane:dns': JSON.stringify({
          provider: 'clouddns',
          zone: 'staging.example.com',
          externalDns: true,
        }),
      },
    });
    const members = ofType(variant.resources, 'gcp:serviceaccount/iAMMember:IAMMember')
      .map((member) => member.inputs.member)
      .sort();
    expect(members).toEqual([
      'serviceAccount:edgeplane-staging.svc.id.goog[cert-manager/cert-manager]',
      'serviceAccount:edgeplane-staging.svc.id.goog[external-dns/external-dns]',
    ]);
    const releases = ofType(variant.resources, 'kubernetes:helm.sh/v3:Release').filter(
      (release) => release.inputs.chart === 'external-dns',
    );
    expect(releases).toHaveLength(regions.length);
    for (const release of releases) {
      expect(release.inputs.values).toMatchObject({
        provider: { name: 'google' },
        serviceAccount: {
          annotations: {
            'iam.gke.io/gcp-service-account':
              'edgeplane-staging-dns@edgeplane-staging.iam.gserviceaccount.com',
          },
        },
      });
    }
  });
});

describe('bad multi-region gcp config', () => {
  it.each([
    [
      'a region named twice',
      { 'edgeplane:regions': '["europe-west1","europe-west1"]' },
      /edgeplane:regions: must not name a region twice/,
    ],
    [
      'an unknown region',
      { 'edgeplane:regions': '["europe-west1","europe-west99"]' },
      /edgeplane:regions\.1: is not a GCP region/,
    ],
    [
      'no home region',
      { 'edgeplane:regions': '[]' },
      /edgeplane:regions: must name at least one region: the first is home/,
    ],
    ['no gcp project', { 'edgeplane:gcp': '{}' }, /edgeplane:gcp\.project: is required/],
    [
      'Route53 on gcp',
      { 'edgeplane:dns': '{"provider":"route53","zone":"staging.example.com"}' },
      /edgeplane:dns\.provider: must be clouddns or cloudflare on gcp/,
    ],
  ])('registers nothing for %s', async (_name, overrides, message) => {
    const recorder = new ResourceRecorder();
    await expect(planStack('gcp-staging', { recorder, overrides })).rejects.toThrow(message);
    expect(recorder.resources).toEqual([]);
  });
});
