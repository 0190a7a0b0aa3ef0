// Subnet ranges carved from the VPC range. Eight lines of address arithmetic: not worth a dependency.

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The `index`-th subnet of `extraBits` more prefix bits inside `cidr`, e.g. (10.0.0.0/16, 2, 1) -> 10.0.64.0/18. */
export function subnetCidr(cidr: string, extraBits: number, index: number): string {
  const [network = '', prefixText = ''] = cidr.split('/');
  const prefix = Number(prefixText);
  const bits = prefix + extraBits;
  if (bits > 28) throw new Error(`${cidr} is too small for /${bits} subnets`);
  if (index < 0 || index >= 2 ** extraBits) {
    throw new Error(`${cidr} holds ${2 ** extraBits} /${bits} subnets, not ${index + 1}`);
  }
  const base = ipv4ToNumber(network) - (ipv4ToNumber(network) % 2 ** (32 - prefix));
  return `${numberToIpv4(base + index * 2 ** (32 - bits))}/${bits}`;
}
