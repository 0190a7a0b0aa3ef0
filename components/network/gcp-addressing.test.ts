import { BlockList } from 'node:net';
import { maxRegionSlots, privateServicesRange, regionRanges } from './gcp-addressing.ts';

function parse(cidr: string): { network: string; bits: number } {
  const [network = '', bits = ''] = cidr.split('/');
  return { network, bits: Number(bits) };
}

/** true when the two IPv4 CIDRs share an address (either contains the other's first address). */
function overlaps(a: string, b: string): boolean {
  const [x, y] = [parse(a), parse(b)];
  const inX = new BlockList();
  inX.addSubnet(x.network, x.bits, 'ipv4');
  const inY = new BlockList();
  inY.addSubnet(y.network, y.bits, 'ipv4');
  return inX.check(y.network, 'ipv4') || inY.check(x.network, 'ipv4');
}

describe('GCP address plan', () => {
  const all = Array.from({ length: maxRegionSlots }, (_, slot) => regionRanges(slot));
  const ranges = [
    ...all.flatMap((region, slot) =>
      Object.entries(region).map(([kind, cidr]) => ({ what: `${kind}[${slot}]`, cidr })),
    ),
    {
      what: 'private services',
      cidr: `${privateServicesRange.address}/${privateServicesRange.prefixLength}`,
    },
  ];

  it('gives every region ranges that overlap no other range of the stack', () => {
    const clashes: string[] = [];
    for (const [i, a] of ranges.entries()) {
      for (const b of ranges.slice(i + 1)) {
        if (overlaps(a.cidr, b.cidr)) clashes.push(`${a.what} ${a.cidr} / ${b.what} ${b.cidr}`);
      }
    }
    expect(ranges).toHaveLength(maxRegionSlots * 4 + 1);
    expect(clashes).toEqual([]);
  });

  it('stays inside private address space, with the /28 GKE needs for each control plane', () => {
    const rfc1918 = new BlockList();
    rfc1918.addSubnet('10.0.0.0', 8, 'ipv4');
    rfc1918.addSubnet('172.16.0.0', 12, 'ipv4');
    for (const { cidr } of ranges)
      expect([cidr, rfc1918.check(parse(cidr).network)]).toEqual([cidr, true]);
    expect(all.map((region) => parse(region.controlPlane).bits)).toEqual(
      Array(maxRegionSlots).fill(28),
    );
    expect(regionRanges(1)).toEqual({
      nodes: '10.0.16.0/20',
      pods: '10.68.0.0/14',
      services: '10.1.16.0/20',
      controlPlane: '172.16.0.16/28',
    });
  });

  it('refuses a slot past the plan', () => {
    expect(() => regionRanges(maxRegionSlots)).toThrow(/from 0 to 15, got 16/);
  });
});
