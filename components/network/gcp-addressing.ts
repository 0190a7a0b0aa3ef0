// The private address plan of a GCP stack: one slot per region (its place in `regions`), so adding a
// region never renumbers another. Nodes, pods, services and each control plane get ranges that
// cannot overlap, inside RFC 1918 space, clear of the range reserved for Google's managed services.

/** Regions a stack may have (the config allows at most 12). */
export const maxRegionSlots = 16;

export interface RegionRanges {
  /** Primary range of the region's subnetwork: node addresses. */
  nodes: string;
  /** Secondary range for pod addresses (VPC-native, alias IPs). */
  pods: string;
  /** Secondary range for ClusterIP Services. */
  services: string;
  /** The GKE control plane's private endpoint range (a /28, required by private clusters). */
  controlPlane: string;
}

/** Peering range for private services access (Cloud SQL, Memorystore): 10.240.0.0/16. */
export const privateServicesRange = { address: '10.240.0.0', prefixLength: 16 } as const;

export function regionRanges(slot: number): RegionRanges {
  if (!Number.isInteger(slot) || slot < 0 || slot >= maxRegionSlots) {
    throw new Error(
      `region slot must be a whole number from 0 to ${maxRegionSlots - 1}, got ${slot}`,
    );
  }
  return {
    // 10.0.0.0/20, 10.0.16.0/20, ... 10.0.240.0/20: 4096 nodes per region.
    nodes: `10.0.${slot * 16}.0/20`,
    // 10.64.0.0/14, 10.68.0.0/14, ... 10.124.0.0/14: 110 pods on each of ~2000 nodes.
    pods: `10.${64 + slot * 4}.0.0/14`,
    // 10.1.0.0/20 ... 10.1.240.0/20: 4096 Services per cluster.
    services: `10.1.${slot * 16}.0/20`,
    // 172.16.0.0/28, 172.16.0.16/28, ...
    controlPlane: `172.16.0.${slot * 16}/28`,
  };
}
