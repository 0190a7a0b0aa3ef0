// GKE under the recording mocks: what the cluster and its node pool ask GCP for.
import * as gcp from '@pulumi/gcp';
import type { RecordedResource } from '../../test/harness/pulumi/index.ts';
import { mockGkeCa, mockGkeEndpoint } from '../../test/harness/pulumi/mock-state.ts';
import { GcpNetwork } from '../network/gcp-network.ts';
import { GkeCluster, nodeAccountId, nodeServiceAccountRoles } from './gke.ts';
import {
  gkeIngress,
  ingressAddress,
  traefikChartKeys,
  traefikIngress,
  traefikValues,
} from './gke-ingress.ts';
import { outputValue, recordProgram } from './testing.ts';

type Environment = 'dev' | 'staging' | 'prod';

async function plan(environment: Environment = 'staging') {
  return recordProgram(() => {
    const provider = new gcp.Provider('gcp-europe-west1', {
      project: 'edgeplane-test',
      region: 'europe-west1',
    });
    const network = new GcpNetwork('network', {
      project: 'edgeplane-test',
      environment,
      regions: [{ name: 'europe-west1', provider }],
    });
    const cluster = new GkeCluster('cluster', {
      project: 'edgeplane-test',
      region: 'europe-west1',
      gcpProvider: provider,
      network: network.network.id,
      subnet: network.subnets['europe-west1'] as NonNullable<(typeof network.subnets)[string]>,
      version: '1.34',
      releaseChannel: environment === 'prod' ? 'STABLE' : 'REGULAR',
      masterAuthorizedNetworks: [{ name: 'office', cidr: '203.0.113.0/24' }],
      nodeSize: 'n2-standard-2',
      minNodes: 2,
      maxNodes: 6,
      environment,
      ingressClassName: gkeIngress.className,
    });
    const address = ingressAddress(
      'ingress',
      { project: 'edgeplane-test', region: 'europe-west1', gcpProvider: provider, environment },
      {},
    );
    traefikIngress(
      'ingress',
      {
        project: 'edgeplane-test',
        region: 'europe-west1',
        gcpProvider: provider,
        cluster,
        environment,
        address: address.address,
      },
      {},
    );
    return cluster;
  });
}

const one = (resources: RecordedResource[], type: string) => {
  const found = resources.filter((resource) => resource.type === type);
  expect(found.map((resource) => resource.name)).toHaveLength(1);
  return found[0] as RecordedResource;
};

describe('GkeCluster', () => {
  let resources: RecordedResource[];
  let cluster: GkeCluster;
  beforeAll(async () => {
    ({ resources, result: cluster } = await plan());
  });

  it('makes a private, VPC-native cluster reachable only from the authorized networks', () => {
    const inputs = one(resources, 'gcp:container/cluster:Cluster').inputs;
    expect(inputs).toMatchObject({
      location: 'europe-west1',
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'services',
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: false,
        masterIpv4CidrBlock: '172.16.0.0/28',
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: [{ cidrBlock: '203.0.113.0/24', displayName: 'office' }],
        gcpPublicCidrsAccessEnabled: false,
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
    });
  });

  it('turns on Workload Identity, the release channel, Dataplane V2 and shielded nodes', () => {
    const inputs = one(resources, 'gcp:container/cluster:Cluster').inputs;
    expect(inputs).toMatchObject({
      workloadIdentityConfig: { workloadPool: 'edgeplane-test.svc.id.goog' },
      releaseChannel: { channel: 'REGULAR' },
      minMasterVersion: '1.34',
      datapathProvider: 'ADVANCED_DATAPATH',
      enableShieldedNodes: true,
      removeDefaultNodePool: true,
      deletionProtection: false,
    });
    expect(cluster.workloadPool).toBe('edgeplane-test.svc.id.goog');
  });

  it('encrypts Secrets in etcd with a rotating regional KMS key only GKE may use', () => {
    const ring = one(resources, 'gcp:kms/keyRing:KeyRing').inputs;
    expect(ring).toMatchObject({ location: 'europe-west1', project: 'edgeplane-test' });
    const key = one(resources, 'gcp:kms/cryptoKey:CryptoKey');
    expect(key.inputs).toMatchObject({
      keyRing: 'cluster-secrets-id',
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: '7776000s',
    });
    expect(one(resources, 'gcp:container/cluster:Cluster').inputs).toMatchObject({
      databaseEncryption: { state: 'ENCRYPTED', keyName: 'cluster-secrets-id' },
    });
    const grant = one(resources, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember').inputs;
    expect(grant).toEqual(
      expect.objectContaining({
        cryptoKeyId: 'cluster-secrets-id',
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member:
          'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com',
      }),
    );
  });

  it('runs an autoscaling pool of shielded nodes on the GKE metadata server as a least-privilege account', () => {
    const pool = one(resources, 'gcp:container/nodePool:NodePool').inputs;
    const account = one(resources, 'gcp:serviceaccount/account:Account').inputs;
    const email = `${String(account.accountId)}@edgeplane-test.iam.gserviceaccount.com`;
    expect(pool).toMatchObject({
      location: 'europe-west1',
      namePrefix: 'edgeplane-',
      autoscaling: { totalMinNodeCount: 2, totalMaxNodeCount: 6 },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: 'n2-standard-2',
        serviceAccount: email,
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
      },
    });
    // Even GKE's short-lived default pool runs as that account, never the Compute Engine default one.
    expect(one(resources, 'gcp:container/cluster:Cluster').inputs.nodeConfig).toMatchObject({
      serviceAccount: email,
      shieldedInstanceConfig: { enableSecureBoot: true },
    });
    const grants = resources
      .filter((resource) => resource.type === 'gcp:projects/iAMMember:IAMMember')
      .map((resource) => [resource.inputs.role, resource.inputs.member]);
    expect(grants.sort()).toEqual(
      [...nodeServiceAccountRoles].sort().map((role) => [role, `serviceAccount:${email}`]),
    );
    expect(grants.map(([role]) => role)).not.toContain('roles/editor');
  });

  it('gives egress to private nodes through Cloud NAT, and Google APIs privately', () => {
    const subnet = one(resources, 'gcp:compute/subnetwork:Subnetwork').inputs;
    expect(subnet).toMatchObject({
      region: 'europe-west1',
      ipCidrRange: '10.0.0.0/20',
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.64.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.1.0.0/20' },
      ],
    });
    expect(one(resources, 'gcp:compute/routerNat:RouterNat').inputs).toMatchObject({
      region: 'europe-west1',
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
    });
    expect(one(resources, 'gcp:compute/network:Network').inputs).toMatchObject({
      autoCreateSubnetworks: false,
    });
  });

  it('puts every GCP resource on the explicit provider and the Kubernetes ones on the cluster', () => {
    const gcpResources = resources.filter(
      (resource) => resource.custom && resource.type.startsWith('gcp:'),
    );
    expect(gcpResources.length).toBeGreaterThan(10);
    expect(
      gcpResources.filter((resource) => !resource.provider?.includes('gcp-europe-west1')),
    ).toEqual([]);
    const kubernetes = resources.filter(
      (resource) => resource.custom && resource.type.startsWith('kubernetes:'),
    );
    expect(kubernetes.length).toBeGreaterThan(1);
    expect(kubernetes.filter((resource) => !resource.provider?.includes('cluster-k8s'))).toEqual(
      [],
    );
  });

  it('builds a secret kubeconfig from the endpoint and CA that authenticates with the GKE plugin', async () => {
    const kubeconfig = await outputValue(cluster.kubeconfig);
    expect(kubeconfig).toContain(`server: https://${mockGkeEndpoint}`);
    expect(kubeconfig).toContain(`certificate-authority-data: ${mockGkeCa}`);
    expect(kubeconfig).toContain('command: gke-gcloud-auth-plugin');
    expect(kubeconfig).not.toMatch(/token:|client-key-data/);
    const provider = one(resources, 'pulumi:providers:kubernetes');
    expect(provider.secretInputPaths).toContain('kubeconfig');
  });

  it('installs Traefik on the static address, keeping client addresses', () => {
    const address = one(resources, 'gcp:compute/address:Address').inputs;
    expect(address).toMatchObject({ addressType: 'EXTERNAL', region: 'europe-west1' });
    const release = resources.find((resource) => resource.type === 'kubernetes:helm.sh/v3:Release');
    expect(release?.inputs).toMatchObject({
      chart: 'traefik',
      namespace: gkeIngress.namespace,
      values: {
        service: {
          type: 'LoadBalancer',
          spec: {
            loadBalancerIP: expect.stringMatching(/^198\.51\.100\.\d+$/),
            externalTrafficPolicy: 'Local',
          },
        },
        ingressClass: { name: 'traefik' },
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      },
    });
    expect(traefikValues({ address: '198.51.100.1', environment: 'prod' })).toMatchObject({
      deployment: { replicas: 3 },
    });
  });
});

describe('GkeCluster in prod', () => {
  it('keeps the cluster and its Secrets key from being deleted, on the STABLE channel', async () => {
    const { resources } = await plan('prod');
    expect(one(resources, 'gcp:container/cluster:Cluster').inputs).toMatchObject({
      deletionProtection: true,
      releaseChannel: { channel: 'STABLE' },
    });
    expect(one(resources, 'gcp:kms/cryptoKey:CryptoKey').protect).toBe(true);
  });
});

describe('nodeAccountId', () => {
  it('fits GCP service account IDs (6-30 characters) for long region names', () => {
    const ids = [
      'europe-west1',
      'northamerica-northeast1',
      'northamerica-northeast2',
      'australia-southeast2',
    ].map((region) => nodeAccountId('staging', region));
    for (const id of ids) expect(id).toMatch(/^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('traefikValues', () => {
  it('sets only keys the pinned chart defines', () => {
    const values = traefikValues({
      address: '198.51.100.1',
      environment: 'staging',
      serviceMonitorLabels: { release: 'kube-prometheus-stack' },
    });
    const known = traefikChartKeys as Record<string, readonly string[]>;
    for (const [key, value] of Object.entries(values)) {
      expect([key, key in known]).toEqual([key, true]);
      const nested = known[key] ?? [];
      if (nested.length === 0 || typeof value !== 'object' || value === null) continue;
      for (const inner of Object.keys(value))
        expect([key, inner, nested.includes(inner)]).toEqual([key, inner, true]);
    }
    expect(values).toMatchObject({
      metrics: {
        prometheus: {
          serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
        },
      },
    });
  });
});
