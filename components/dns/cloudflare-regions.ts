// Cloudflare load-balancing regions (geo steering) for cloud region names. Cloudflare answers a
// client from its region's pools first; a cloud region sits in the Cloudflare region it serves.

export const cloudflareRegions = [
  'WNAM',
  'ENAM',
  'WEU',
  'EEU',
  'NSAM',
  'SSAM',
  'OC',
  'ME',
  'NAF',
  'SAF',
  'SAS',
  'SEAS',
  'NEAS',
] as const;
export type CloudflareRegion = (typeof cloudflareRegions)[number];

// First match wins: specific names before their prefixes.
const byPrefix: [RegExp, CloudflareRegion][] = [
  [/^(us-west|us-gov-west|ca-west|northamerica-northeast2)/, 'WNAM'],
  [/^(mx-|northamerica-south)/, 'NSAM'],
  [/^(us-|ca-|northamerica-)/, 'ENAM'],
  [/^(sa-|southamerica-)/, 'SSAM'],
  [/^(europe-central|europe-north|eu-north)/, 'EEU'],
  [/^(eu-|europe-)/, 'WEU'],
  [/^(me-|il-)/, 'ME'],
  [/^(af-|africa-)/, 'SAF'],
  [/^(ap-south-|asia-south1|asia-south2)/, 'SAS'],
  [/^(ap-southeast-2|ap-southeast-4|ap-southeast-6|australia-)/, 'OC'],
  [/^(ap-southeast-|asia-southeast)/, 'SEAS'],
  [/^(ap-northeast-|ap-east-|asia-northeast|asia-east)/, 'NEAS'],
];

/** The Cloudflare region a cloud region serves, e.g. europe-west1 -> WEU, us-east-1 -> ENAM. */
export function cloudflareRegionOf(region: string): CloudflareRegion {
  const match = byPrefix.find(([pattern]) => pattern.test(region));
  if (!match) {
    throw new Error(
      `no Cloudflare load-balancing region is known for ${region}: add it to components/dns/cloudflare-regions.ts`,
    );
  }
  return match[1];
}
