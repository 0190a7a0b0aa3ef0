// The GCP network under the recording mocks: one VPC, a subnetwork, router and NAT per region on that
// region's provider, and the private services peering for Cloud SQL and Memorystore.
import * as gcp from '@pulumi/gcp';
import { recordProgram } from '../cluster/testing.ts';
import { GcpNetwork } from './gcp-network.ts';

const regions = ['europe-west1', 'us-central1', 'asia-southeast1'];

describe('GcpNetwork', () => {
  it('gives each region its slot of the address plan, NAT and its own provider', async () => {
    const { resources, result } = await recordProgram(() => {
      const providers = regions.map(
        (region) => new gcp.Provider(`gcp-${region}`, { project: 'edgeplane-test', region }),
      );
      return new GcpNetwork('network', {
        project: 'edgeplane-test',
        environment: 'prod',
        regions: regions.map((name, slot) => ({ name, provider: providers[slot] as gcp.Provider })),
      });
    });
    const ofType = (type: string) => resources.filter((resource) => resource.type === type);
    const providerOf = (region: string) =>
      ofType('pulumi:providers:gcp').find((provider) => provider.inputs.region === region)?.urn;

    const subnets = ofType('gcp:compute/subnetwork:Subnetwork');
    expect(subnets.map((subnet) => [subnet.inputs.region, subnet.inputs.ipCidrRange])).toEqual([
      ['europe-west1', '10.0.0.0/20'],
      ['us-central1', '10.0.16.0/20'],
      ['asia-southeast1', '10.0.32.0/20'],
    ]);
    for (const type of [
      'gcp:compute/subnetwork:Subnetwork',
      'gcp:compute/router:Router',
      'gcp:compute/routerNat:RouterNat',
    ]) {
      const regional = ofType(type);
      expect(regional.map((resource) => resource.inputs.region)).toEqual(regions);
      for (const resource of regional) {
        expect(resource.provider).toContain(providerOf(String(resource.inputs.region)));
      }
    }
    for (const subnet of subnets) {
      expect(subnet.inputs).toMatchObject({
        privateIpGoogleAccess: true,
        logConfig: { flowSampling: 0.5 },
      });
    }

    expect(ofType('gcp:compute/globalAddress:GlobalAddress')[0]?.inputs).toMatchObject({
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      address: '10.240.0.0',
      prefixLength: 16,
    });
    expect(ofType('gcp:servicenetworking/connection:Connection')[0]?.inputs).toMatchObject({
      service: 'servicenetworking.googleapis.com',
    });
    expect(result.privateServicesCidr).toBe('10.240.0.0/16');
    expect(Object.keys(result.subnets)).toEqual(regions);
  });

  it('needs a region', () => {
    expect(
      () =>
        new GcpNetwork('network', { project: 'edgeplane-test', environment: 'dev', regions: [] }),
    ).toThrow(/at least one region/);
  });
});
