// The stack's VPC on GCP: one global custom-mode network, and per region a subnetwork with secondary
// ranges for pods and Services (VPC-native GKE), Private Google Access, flow logs, and Cloud NAT so
// private nodes reach the internet (images, tenant origins, the home origin) without public IPs.
// Private services access (a peering range for Cloud SQL and Memorystore) is made once, globally.
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { privateServicesRange, type RegionRanges, regionRanges } from './gcp-addressing.ts';

export interface GcpNetworkRegion {
  /** The region's name, e.g. europe-west1. */
  name: string;
  /** The region's explicit provider (project and region set). */
  provider: gcp.Provider;
}

export interface GcpNetworkArgs {
  project: string;
  /** Every region of the stack, home first; each keeps its slot in the address plan. */
  regions: GcpNetworkRegion[];
  /** Prod keeps NAT and flow logs longer and samples more. */
  environment: 'dev' | 'staging' | 'prod';
}

export interface GcpSubnet {
  region: string;
  subnetwork: gcp.compute.Subnetwork;
  ranges: RegionRanges;
  podsRangeName: string;
  servicesRangeName: string;
}

export const secondaryRangeNames = { pods: 'pods', services: 'services' } as const;

export class GcpNetwork extends pulumi.ComponentResource {
  public readonly network: gcp.compute.Network;
  /** Subnetworks by region name. */
  public readonly subnets: Record<string, GcpSubnet> = {};
  /** The peering Cloud SQL and Memorystore use; depend on it before creating either. */
  public readonly privateServices: gcp.servicenetworking.Connection;
  /** The peering range, for the origin's egress to managed data stores. */
  public readonly privateServicesCidr =
    `${privateServicesRange.address}/${privateServicesRange.prefixLength}`;

  constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:network:GcpNetwork', name, {}, opts);
    const [home] = args.regions;
    if (!home) throw new Error(`${name}: a GCP network needs at least one region`);
    const global = { parent: this, provider: home.provider };

    this.network = new gcp.compute.Network(
      name,
      {
        project: args.project,
        autoCreateSubnetworks: false,
        routingMode: 'GLOBAL',
        description: 'edgeplane: GKE nodes, pods and private data stores',
      },
      global,
    );

    args.regions.forEach((region, slot) => {
      const ranges = regionRanges(slot);
      const inRegion = { parent: this, provider: region.provider };
      const subnetwork = new gcp.compute.Subnetwork(
        `${name}-${region.name}`,
        {
          project: args.project,
          region: region.name,
          network: this.network.id,
          ipCidrRange: ranges.nodes,
          secondaryIpRanges: [
            { rangeName: secondaryRangeNames.pods, ipCidrRange: ranges.pods },
            { rangeName: secondaryRangeNames.services, ipCidrRange: ranges.services },
          ],
          privateIpGoogleAccess: true,
          logConfig: {
            aggregationInterval: 'INTERVAL_5_SEC',
            flowSampling: args.environment === 'prod' ? 0.5 : 0.1,
            metadata: 'INCLUDE_ALL_METADATA',
          },
        },
        inRegion,
      );
      const router = new gcp.compute.Router(
        `${name}-${region.name}-router`,
        { project: args.project, region: region.name, network: this.network.id },
        inRegion,
      );
      new gcp.compute.RouterNat(
        `${name}-${region.name}-nat`,
        {
          project: args.project,
          region: region.name,
          router: router.name,
          natIpAllocateOption: 'AUTO_ONLY',
          sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
          subnetworks: [{ name: subnetwork.id, sourceIpRangesToNats: ['ALL_IP_RANGES'] }],
          // Edges open many connections to the same origins: ports per VM grow on demand.
          enableDynamicPortAllocation: true,
          // Dynamic port allocation rules out endpoint-independent mapping.
          enableEndpointIndependentMapping: false,
          minPortsPerVm: 256,
          maxPortsPerVm: 16384,
          logConfig: { enable: true, filter: 'ERRORS_ONLY' },
        },
        inRegion,
      );
      this.subnets[region.name] = {
        region: region.name,
        subnetwork,
        ranges,
        podsRangeName: secondaryRangeNames.pods,
        servicesRangeName: secondaryRangeNames.services,
      };
    });

    const peeringRange = new gcp.compute.GlobalAddress(
      `${name}-private-services`,
      {
        project: args.project,
        network: this.network.id,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address: privateServicesRange.address,
        prefixLength: privateServicesRange.prefixLength,
      },
      global,
    );
    this.privateServices = new gcp.servicenetworking.Connection(
      `${name}-private-services`,
      {
        network: this.network.id,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [peeringRange.name],
      },
      global,
    );

    this.registerOutputs({
      network: this.network.id,
      subnets: Object.fromEntries(
        Object.entries(this.subnets).map(([region, subnet]) => [region, subnet.subnetwork.id]),
      ),
      privateServicesCidr: this.privateServicesCidr,
    });
  }
}
