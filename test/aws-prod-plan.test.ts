// The whole aws-prod plan, as `pulumi preview` would register it, asserted per region: one AWS
// provider per region, data stores and the origin only at home, edges everywhere, a latency record
// with a health check per edge region, nothing on a default provider, secrets kept secret, every
// rendered Kubernetes object valid. Bad multi-region config registers nothing.
import { kubernetesObjects, validateKubernetesObjects } from './harness/kubernetes/index.ts';
import {
  type Plan,
  placeholderSecrets,
  planStack,
  type RecordedResource,
  ResourceRecorder,
  secretLeaks,
} from './harness/pulumi/index.ts';

const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const [home = '', ...others] = regions;

let plan: Plan;
let recorder: ResourceRecorder;
beforeAll(async () => {
  recorder = new ResourceRecorder();
  plan = await planStack('aws-prod', { recorder });
});

const ofType = (type: string) => plan.resources.filter((resource) => resource.type === type);
const byUrn = () => new Map(plan.resources.map((resource) => [resource.urn, resource]));
/** The URN of the explicit provider a resource uses (its reference is `<urn>::<id>`). */
const providerUrn = (resource: RecordedResource) =>
  resource.provider?.split('::').slice(0, -1).join('::');

/** The region a resource belongs to: the name of the AWS provider it (or its cluster's provider) hangs off. */
function regionOf(resource: RecordedResource): string | undefined {
  const urns = byUrn();
  const provider = urns.get(providerUrn(resource) ?? '');
  if (!provider) return undefined;
  if (provider.type === 'pulumi:providers:aws') return String(provider.inputs.region);
  // A Kubernetes provider is parented to its EKS cluster component, named <region>-cluster.
  const cluster = urns.get(provider.parent ?? '');
  return cluster?.name.replace(/-cluster$/, '');
}

const inRegion = (region: string, type: string) =>
  ofType(type).filter((resource) => regionOf(resource) === region);

describe('aws-prod plan', () => {
  it('has one AWS provider per region and one Kubernetes provider per cluster', () => {
    const awsProviders = ofType('pulumi:providers:aws');
    expect(awsProviders.map((provider) => provider.inputs.region).sort()).toEqual(
      [...regions].sort(),
    );
    expect(ofType('pulumi:providers:kubernetes')).toHaveLength(regions.length);
    for (const region of regions) {
      expect(inRegion(region, 'aws:eks/cluster:Cluster')).toHaveLength(1);
      expect(inRegion(region, 'aws:ec2/vpc:Vpc')).toHaveLength(1);
    }
  });

  it('puts every AWS and Kubernetes resource on an explicit provider', () => {
    const cloudResources = plan.resources.filter(
      (resource) =>
        resource.custom &&
        (resource.type.startsWith('aws:') || resource.type.startsWith('kubernetes:')),
    );
    expect(cloudResources.length).toBeGreaterThan(250);
    expect(
      cloudResources.filter((resource) => !resource.provider).map((resource) => resource.urn),
    ).toEqual([]);
  });

  it('makes every AWS lookup through a region provider', () => {
    const lookups = recorder.calls.filter((call) => call.token.startsWith('aws:'));
    expect(lookups.map((call) => call.token)).toEqual(
      expect.arrayContaining([
        'aws:index/getAvailabilityZones:getAvailabilityZones',
        'aws:route53/getZone:getZone',
      ]),
    );
    const awsProviders = new Set(ofType('pulumi:providers:aws').map((provider) => provider.urn));
    for (const call of lookups) {
      expect({
        token: call.token,
        provider: awsProviders.has(call.provider?.split('::').slice(0, -1).join('::') ?? ''),
      }).toEqual({
        token: call.token,
        provider: true,
      });
    }
  });

  it('parents every resource under the stack component, except the providers it hands down', () => {
    const top = ofType('edgeplane:stack:Aws');
    expect(plan.resources.filter((resource) => !resource.parent)).toEqual([
      ...ofType('pulumi:providers:random'),
      ...top,
    ]);
  });

  it('runs the origin, Postgres and Redis at home only, edges in every region', () => {
    const deployments = (region: string) =>
      inRegion(region, 'kubernetes:apps/v1:Deployment').map(
        (resource) => (resource.inputs.metadata as { name: string }).name,
      );
    expect(deployments(home)).toEqual(
      expect.arrayContaining(['edgeplane-edge', 'edgeplane-origin']),
    );
    expect(inRegion(home, 'aws:rds/instance:Instance')).toHaveLength(1);
    expect(inRegion(home, 'aws:elasticache/replicationGroup:ReplicationGroup')).toHaveLength(1);
    for (const region of others) {
      expect(deployments(region)).toContain('edgeplane-edge');
      expect(deployments(region)).not.toContain('edgeplane-origin');
      expect(inRegion(region, 'aws:rds/instance:Instance')).toEqual([]);
      expect(inRegion(region, 'aws:elasticache/replicationGroup:ReplicationGroup')).toEqual([]);
    }
  });

  it('points edge-only regions at the home origin over TLS with the home edge token', () => {
    for (const region of others) {
      const named = (type: string, name: string): RecordedResource => {
        const found = inRegion(region, type).find(
          (resource) => (resource.inputs.metadata as { name: string }).name === name,
        );
        if (!found) throw new Error(`${type} ${name} missing in ${region}`);
        return found;
      };
      const edge = named('kubernetes:apps/v1:Deployment', 'edgeplane-edge');
      const env = (
        edge.inputs as {
          spec: {
            template: { spec: { containers: { env: { name: string; value?: string }[] }[] } };
          };
        }
      ).spec.template.spec.containers[0]?.env;
      expect(env).toContainEqual({
        name: 'EDGEPLANE_ORIGIN_URL',
        value: 'https://api.cdn.example.com',
      });
      const credentials = named('kubernetes:core/v1:Secret', 'edgeplane-edge-credentials');
      const tokenPath = 'stringData.EDGEPLANE_EDGE_TOKEN';
      expect(
        credentials.secretInputPaths.some(
          (path) => tokenPath === path || tokenPath.startsWith(`${path}.`),
        ),
      ).toBe(true);
      expect((credentials.inputs.stringData as Record<string, string>).EDGEPLANE_EDGE_TOKEN).toBe(
        `mock-password-${home}-edge-token`,
      );
    }
  });

  it('routes the edge hostname by latency to every region, each with a health check', () => {
    const edgeRecords = ofType('aws:route53/record:Record').filter(
      (record) => record.inputs.name === 'cdn.example.com',
    );
    expect(edgeRecords.map((record) => record.inputs.setIdentifier).sort()).toEqual(
      [...regions].sort(),
    );
    const checks = new Map(
      ofType('aws:route53/healthCheck:HealthCheck').map((check) => [
        `${check.name}-id`,
        check.inputs,
      ]),
    );
    for (const record of edgeRecords) {
      const region = record.inputs.setIdentifier as string;
      expect(record.inputs.latencyRoutingPolicies).toEqual([{ region }]);
      expect(record.inputs.type).toBe('CNAME');
      const check = checks.get(record.inputs.healthCheckId as string);
      expect(check).toMatchObject({ type: 'TCP', port: 443 });
      // The record and its check point at the same region's edge load balancer.
      expect(record.inputs.records).toEqual([check?.fqdn]);
      expect(String(check?.fqdn)).toBe(`${region}-edgeplane-edge-public.elb.mock`);
    }
    const names = ofType('aws:route53/record:Record').map((record) => record.inputs.name);
    expect(names).toEqual(
      expect.arrayContaining(['api.cdn.example.com', 'dashboard.cdn.example.com']),
    );
    const api = ofType('aws:route53/record:Record').find(
      (record) => record.inputs.name === 'api.cdn.example.com',
    );
    expect(api?.inputs.records).toEqual([`${home}-edgeplane-origin-public.elb.mock`]);
  });

  it('terminates TLS at each region load balancer with that region certificate', () => {
    const certificates = ofType('aws:acm/certificate:Certificate');
    expect(certificates.map(regionOf).sort()).toEqual([...regions].sort());
    for (const region of regions) {
      const services = inRegion(region, 'kubernetes:core/v1:Service').filter(
        (service) => (service.inputs.spec as { type?: string }).type === 'LoadBalancer',
      );
      expect(services.length).toBe(region === home ? 2 : 1);
      for (const service of services) {
        const annotations = (service.inputs.metadata as { annotations: Record<string, string> })
          .annotations;
        expect(annotations).toMatchObject({
          'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
          'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
          'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': `arn:aws:acm:mock-region:123456789012:certificates-${region}`,
        });
      }
    }
    const [homeCertificate] = inRegion(home, 'aws:acm/certificate:Certificate');
    expect(homeCertificate?.inputs.subjectAlternativeNames).toEqual([
      'api.cdn.example.com',
      'dashboard.cdn.example.com',
    ]);
  });

  it('keeps the EKS clusters private, encrypted, logged and administered through access entries', () => {
    for (const cluster of ofType('aws:eks/cluster:Cluster')) {
      expect(cluster.inputs).toMatchObject({
        version: '1.34',
        vpcConfig: {
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: ['203.0.113.0/24'],
        },
        accessConfig: { authenticationMode: 'API' },
        encryptionConfig: { resources: ['secrets'] },
        enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      });
    }
    const entries = ofType('aws:eks/accessEntry:AccessEntry');
    expect(entries).toHaveLength(regions.length);
    for (const entry of entries) {
      expect(entry.inputs.principalArn).toBe('arn:aws:iam::123456789012:role/platform-admin');
    }
    expect(ofType('aws:eks/accessPolicyAssociation:AccessPolicyAssociation')).toHaveLength(
      regions.length,
    );
  });

  it('runs a NAT gateway per zone in prod and keeps the data stores private and protected', () => {
    for (const region of regions) {
      expect(inRegion(region, 'aws:ec2/natGateway:NatGateway')).toHaveLength(3);
    }
    const [database] = ofType('aws:rds/instance:Instance');
    expect(database?.inputs).toMatchObject({
      publiclyAccessible: false,
      storageEncrypted: true,
      dbSubnetGroupName: `${home}-database-group`,
      multiAz: true,
      deletionProtection: true,
      backupRetentionPeriod: 14,
      performanceInsightsEnabled: true,
    });
    expect(database?.protect).toBe(true);
    const [cache] = ofType('aws:elasticache/replicationGroup:ReplicationGroup');
    expect(cache?.inputs).toMatchObject({
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      numCacheClusters: 3,
    });
    expect(cache?.protect).toBe(true);
    // Only the private subnets (nodes and pods) may connect to either store.
    for (const group of ofType('aws:ec2/securityGroup:SecurityGroup')) {
      expect(group.inputs.ingress).toEqual([
        expect.objectContaining({
          cidrBlocks: ['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18'],
        }),
      ]);
    }
    expect(ofType('aws:ec2/securityGroup:SecurityGroup')).toHaveLength(2);
  });

  it('lets the origin reach the managed stores through the private subnets only', () => {
    const policy = inRegion(home, 'kubernetes:networking.k8s.io/v1:NetworkPolicy').find(
      (resource) => (resource.inputs.metadata as { name: string }).name === 'origin-allow-egress',
    );
    if (!policy) throw new Error('origin-allow-egress missing at home');
    const egress = (policy.inputs.spec as { egress: { to: unknown[] }[] }).egress[0];
    expect(egress?.to).toEqual([
      { ipBlock: { cidr: '10.0.0.0/18' } },
      { ipBlock: { cidr: '10.0.64.0/18' } },
      { ipBlock: { cidr: '10.0.128.0/18' } },
    ]);
  });

  it('gives cert-manager its Route53 role through Pod Identity in every cluster', () => {
    const associations = ofType('aws:eks/podIdentityAssociation:PodIdentityAssociation').filter(
      (association) => association.inputs.serviceAccount === 'cert-manager',
    );
    expect(associations.map(regionOf).sort()).toEqual([...regions].sort());
    const issuers = ofType('kubernetes:cert-manager.io/v1:ClusterIssuer');
    expect(issuers.length).toBeGreaterThanOrEqual(regions.length);
    const solvers = JSON.stringify(issuers.map((issuer) => issuer.inputs.spec));
    expect(solvers).toContain('"route53"');
    expect(solvers).toContain('example.com-existing-zone-id');
  });

  it('keeps every secret secret: config secrets, generated passwords, tokens, kubeconfigs', () => {
    const generated = ofType('random:index/randomPassword:RandomPassword').map(
      (resource) => `mock-password-${resource.name}`,
    );
    expect(generated).toEqual(
      expect.arrayContaining([
        `mock-password-${home}-database-password`,
        `mock-password-${home}-cache-auth-token`,
      ]),
    );
    expect(secretLeaks(plan, [...Object.values(placeholderSecrets), ...generated])).toEqual([]);
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
      edgeHostname: 'cdn.example.com',
      apiUrl: 'https://api.cdn.example.com',
      homeRegion: home,
      regions,
    });
  });
});

describe('aws outside prod', () => {
  it('shares one NAT gateway per region and protects nothing', async () => {
    const dev = await planStack('aws-prod', {
      overrides: {
        'edgeplane:environment': 'dev',
        'edgeplane:database': '{}',
        'edgeplane:cache': '{}',
        'edgeplane:runtime': JSON.stringify({ edgeReplicas: 1, originReplicas: 1 }),
      },
    });
    const ofDevType = (type: string) => dev.resources.filter((resource) => resource.type === type);
    expect(ofDevType('aws:ec2/natGateway:NatGateway')).toHaveLength(regions.length);
    expect(dev.resources.filter((resource) => resource.protect)).toEqual([]);
    const [database] = ofDevType('aws:rds/instance:Instance');
    expect(database?.inputs).toMatchObject({
      multiAz: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
      publiclyAccessible: false,
      storageEncrypted: true,
    });
    const [cache] = ofDevType('aws:elasticache/replicationGroup:ReplicationGroup');
    expect(cache?.inputs).toMatchObject({ numCacheClusters: 1, automaticFailoverEnabled: false });
  });
});

describe('bad multi-region config registers nothing', () => {
  const cases = [
    {
      name: 'duplicate regions',
      regions: ['us-east-1', 'eu-west-1', 'us-east-1'],
      says: 'edgeplane:regions: must not name a region twice',
    },
    {
      name: 'an unknown region name',
      regions: ['us-east-1', 'eu-westt-1'],
      says: 'edgeplane:regions.1: is not an AWS region; use a region name such as us-east-1 (closest: eu-west-1)',
    },
    {
      name: 'a GCP region on AWS',
      regions: ['us-east-1', 'europe-west1'],
      says: 'edgeplane:regions.1: is not an AWS region',
    },
    {
      name: 'no home region',
      regions: [],
      says: 'edgeplane:regions: must name at least one region',
    },
  ];
  it.each(cases)('$name', async ({ regions: badRegions, says }) => {
    const recorder = new ResourceRecorder();
    await expect(
      planStack('aws-prod', {
        recorder,
        overrides: { 'edgeplane:regions': JSON.stringify(badRegions) },
      }),
    ).rejects.toThrow(says);
    expect(recorder.resources).toEqual([]);
  });

  it('a missing regions key', async () => {
    const recorder = new ResourceRecorder();
    await expect(
      planStack('aws-prod', { recorder, remove: ['edgeplane:regions'] }),
    ).rejects.toThrow(/edgeplane:regions: is required/);
    expect(recorder.resources).toEqual([]);
  });
});
