// Cloudflare under the recording mocks: plain per-region records without load balancing; a monitor,
// a pool per region and a geo-steered load balancer with it. Always the explicit provider.
import * as pulumi from '@pulumi/pulumi';
import { awsRegions, gcpRegions } from '../../stacks/regions.ts';
import type { RecordedResource } from '../../test/harness/pulumi/index.ts';
import { secretLeaks } from '../../test/harness/pulumi/index.ts';
import { recordProgram } from '../cluster/testing.ts';
import { CloudflareDns, type CloudflareDnsArgs } from './cloudflare.ts';
import { cloudflareRegionOf, cloudflareRegions } from './cloudflare-regions.ts';

const token = 'cloudflare-test-token-0000000000';
const hostnames = {
  edge: 'cdn.example.com',
  api: 'api.cdn.example.com',
  dashboard: 'dashboard.cdn.example.com',
};
const edges = [
  { region: 'europe-west1', address: '198.51.100.1' },
  { region: 'us-central1', address: '198.51.100.2' },
  { region: 'us-east4', address: '198.51.100.3' },
];
const accountId = '0123456789abcdef0123456789abcdef';

function plan(changes: Partial<CloudflareDnsArgs> = {}) {
  return recordProgram(
    () =>
      new CloudflareDns('dns', {
        apiToken: pulumi.secret(token),
        zone: 'example.com',
        createZone: false,
        loadBalancing: false,
        hostnames,
        home: edges[0] as (typeof edges)[number],
        edges,
        ...changes,
      }),
  );
}

const ofType = (resources: RecordedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);

function expectExplicitProvider(resources: RecordedResource[]) {
  const providers = ofType(resources, 'pulumi:providers:cloudflare');
  expect(providers).toHaveLength(1);
  expect(providers[0]?.secretInputPaths).toContain('apiToken');
  const cloudflare = resources.filter(
    (resource) => resource.custom && resource.type.startsWith('cloudflare:'),
  );
  expect(cloudflare.length).toBeGreaterThan(0);
  for (const resource of cloudflare) expect(resource.provider).toContain(providers[0]?.urn);
  expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [token])).toEqual([]);
}

describe('CloudflareDns without load balancing', () => {
  it('writes a record per region, the edge hostname answering with every region, API and dashboard at home', async () => {
    const { resources } = await plan();
    const records = ofType(resources, 'cloudflare:index/dnsRecord:DnsRecord').map(
      (resource) => resource.inputs,
    );
    for (const record of records) {
      expect(record).toMatchObject({ zoneId: 'example.com-zone-id', type: 'A', proxied: false });
    }
    const pairs = records.map((record) => [record.name, record.content]).sort();
    expect(pairs).toEqual(
      [
        [hostnames.api, '198.51.100.1'],
        [hostnames.dashboard, '198.51.100.1'],
        ...edges.map((edge) => [`${edge.region}.${hostnames.edge}`, edge.address]),
        ...edges.map((edge) => [hostnames.edge, edge.address]),
      ].sort(),
    );
    expect(ofType(resources, 'cloudflare:index/loadBalancer:LoadBalancer')).toEqual([]);
    expectExplicitProvider(resources);
  });
});

describe('CloudflareDns with load balancing', () => {
  it('steers each client to its geographic region, failing over to the others and to home', async () => {
    const { resources } = await plan({ loadBalancing: true, accountId });
    const monitor = ofType(resources, 'cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor');
    expect(monitor.map((resource) => resource.inputs)).toEqual([
      expect.objectContaining({ accountId, type: 'tcp', port: 443 }),
    ]);
    const pools = ofType(resources, 'cloudflare:index/loadBalancerPool:LoadBalancerPool');
    const poolId = (region: string) => `dns-${region}-id`;
    expect(pools.map((pool) => pool.inputs.origins)).toEqual(
      edges.map((edge) => [
        expect.objectContaining({ name: edge.region, address: edge.address, enabled: true }),
      ]),
    );
    for (const pool of pools)
      expect(pool.inputs).toMatchObject({ accountId, monitor: 'dns-edge-id' });

    const [balancer, ...others] = ofType(resources, 'cloudflare:index/loadBalancer:LoadBalancer');
    expect(others).toEqual([]);
    expect(balancer?.inputs).toMatchObject({
      zoneId: 'example.com-zone-id',
      name: hostnames.edge,
      steeringPolicy: 'geo',
      proxied: false,
      fallbackPool: poolId('europe-west1'),
      defaultPools: [poolId('europe-west1'), poolId('us-central1'), poolId('us-east4')],
      regionPools: {
        WEU: [poolId('europe-west1'), poolId('us-central1'), poolId('us-east4')],
        ENAM: [poolId('us-central1'), poolId('us-east4'), poolId('europe-west1')],
      },
    });
    // Every edge region is reachable through the steering.
    const steered = new Set(
      Object.values(balancer?.inputs.regionPools as Record<string, string[]>).flat(),
    );
    expect([...steered].sort()).toEqual(edges.map((edge) => poolId(edge.region)).sort());
    // Plain records remain for the API, the dashboard and each region; not for the balanced name.
    const names = ofType(resources, 'cloudflare:index/dnsRecord:DnsRecord').map(
      (resource) => resource.inputs.name,
    );
    expect(names).not.toContain(hostnames.edge);
    expectExplicitProvider(resources);
  });

  it('refuses load balancing without the account that owns pools and monitors', () => {
    expect(
      () =>
        new CloudflareDns('dns', {
          apiToken: pulumi.secret(token),
          zone: 'example.com',
          createZone: false,
          loadBalancing: true,
          hostnames,
          home: edges[0] as (typeof edges)[number],
          edges,
        }),
    ).toThrow(/dns\.cloudflare\.accountId/);
  });

  it('creates the zone in the account when asked', async () => {
    const { resources } = await plan({ createZone: true, accountId });
    const zone = ofType(resources, 'cloudflare:index/zone:Zone')[0];
    expect(zone?.inputs).toMatchObject({ name: 'example.com', account: { id: accountId } });
    const record = ofType(resources, 'cloudflare:index/dnsRecord:DnsRecord')[0];
    expect(record?.inputs.zoneId).toBe('dns-id');
  });
});

describe('cloudflareRegionOf', () => {
  it.each([
    ['europe-west1', 'WEU'],
    ['eu-west-1', 'WEU'],
    ['europe-north1', 'EEU'],
    ['eu-central-2', 'WEU'],
    ['us-east-1', 'ENAM'],
    ['us-central1', 'ENAM'],
    ['us-west-2', 'WNAM'],
    ['northamerica-south1', 'NSAM'],
    ['southamerica-east1', 'SSAM'],
    ['asia-southeast1', 'SEAS'],
    ['ap-southeast-1', 'SEAS'],
    ['ap-southeast-2', 'OC'],
    ['australia-southeast1', 'OC'],
    ['asia-northeast1', 'NEAS'],
    ['ap-south-1', 'SAS'],
    ['me-central1', 'ME'],
    ['africa-south1', 'SAF'],
  ])('%s steers from %s', (region, expected) => {
    expect(cloudflareRegionOf(region)).toBe(expected);
  });

  it('knows every AWS and GCP region a stack may name', () => {
    for (const region of [...awsRegions, ...gcpRegions]) {
      expect([region, cloudflareRegions.includes(cloudflareRegionOf(region))]).toEqual([
        region,
        true,
      ]);
    }
  });

  it('names the file to extend for an unknown region', () => {
    expect(() => cloudflareRegionOf('mars-north1')).toThrow(/cloudflare-regions\.ts/);
  });
});
