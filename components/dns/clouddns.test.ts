// Cloud DNS under the recording mocks: zone found or created, API and dashboard at home, and a
// health-checked geo policy on the edge hostname covering every edge region.
import * as gcp from '@pulumi/gcp';
import { outputValue, recordProgram } from '../cluster/testing.ts';
import { CloudDnsRecords, healthCheckSourceRegions } from './clouddns.ts';

const hostnames = {
  edge: 'cdn.staging.example.com',
  api: 'api.cdn.staging.example.com',
  dashboard: 'dashboard.cdn.staging.example.com',
};
const edges = [
  { region: 'europe-west1', address: '198.51.100.1' },
  { region: 'us-central1', address: '198.51.100.2' },
  { region: 'asia-southeast1', address: '198.51.100.3' },
];

function plan(zone: string, createZone: boolean) {
  return recordProgram(() => {
    const provider = new gcp.Provider('gcp-europe-west1', {
      project: 'edgeplane-test',
      region: 'europe-west1',
    });
    return new CloudDnsRecords('dns', {
      project: 'edgeplane-test',
      gcpProvider: provider,
      zone,
      createZone,
      hostnames,
      home: edges[0] as (typeof edges)[number],
      edges,
    });
  });
}

describe('CloudDnsRecords', () => {
  it('writes into the existing zone: API and dashboard at home, the edge by geography', async () => {
    const { resources, result } = await plan('staging.example.com', false);
    expect(
      resources.filter((resource) => resource.type === 'gcp:dns/managedZone:ManagedZone'),
    ).toEqual([]);
    const records = resources.filter((resource) => resource.type === 'gcp:dns/recordSet:RecordSet');
    const byName = Object.fromEntries(records.map((record) => [record.inputs.name, record.inputs]));
    expect(Object.keys(byName).sort()).toEqual(
      [`${hostnames.api}.`, `${hostnames.dashboard}.`, `${hostnames.edge}.`].sort(),
    );
    for (const record of records) expect(record.inputs.managedZone).toBe('staging-example-com');
    expect(byName[`${hostnames.api}.`]).toMatchObject({ type: 'A', rrdatas: ['198.51.100.1'] });
    expect(byName[`${hostnames.dashboard}.`]).toMatchObject({
      type: 'A',
      rrdatas: ['198.51.100.1'],
    });

    const edge = byName[`${hostnames.edge}.`] as {
      routingPolicy: {
        geos: { location: string; healthCheckedTargets: { externalEndpoints: string[] } }[];
        healthCheck: string;
      };
    };
    expect(edge.routingPolicy.geos).toEqual(
      edges.map((target) => ({
        location: target.region,
        healthCheckedTargets: { externalEndpoints: [target.address] },
      })),
    );
    const check = resources.find(
      (resource) => resource.type === 'gcp:compute/healthCheck:HealthCheck',
    );
    expect(check?.inputs).toMatchObject({
      tcpHealthCheck: { port: 443 },
      sourceRegions: healthCheckSourceRegions,
    });
    expect(edge.routingPolicy.healthCheck).toBe('dns-edge-id');
    expect(await outputValue(result.nameServers)).toHaveLength(2);
    for (const resource of resources.filter((r) => r.custom && r.type.startsWith('gcp:'))) {
      expect(resource.provider).toContain('gcp-europe-west1');
    }
  });

  it('creates the zone with DNSSEC when asked', async () => {
    const { resources } = await plan('example.com', true);
    const zone = resources.find((resource) => resource.type === 'gcp:dns/managedZone:ManagedZone');
    expect(zone?.inputs).toMatchObject({
      dnsName: 'example.com.',
      name: 'example-com',
      visibility: 'public',
      dnssecConfig: { state: 'on' },
    });
    const records = resources.filter((resource) => resource.type === 'gcp:dns/recordSet:RecordSet');
    for (const record of records) expect(record.inputs.managedZone).toBe('example-com');
  });

  it('needs at least one edge region', () => {
    const provider = new gcp.Provider('gcp-x', {
      project: 'edgeplane-test',
      region: 'europe-west1',
    });
    expect(
      () =>
        new CloudDnsRecords('dns', {
          project: 'edgeplane-test',
          gcpProvider: provider,
          zone: 'example.com',
          createZone: true,
          hostnames,
          home: edges[0] as (typeof edges)[number],
          edges: [],
        }),
    ).toThrow(/at least one region/);
  });
});
