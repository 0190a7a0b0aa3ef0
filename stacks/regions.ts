// Region names each cloud really has, so a typo fails the config check instead of a provider call
// minutes into `pulumi up`. Lists as published by AWS and Google Cloud (2026); add a region here when
// a cloud opens one. k3s regions are names the operator chooses (home-lab, rack-2...).
import { closest } from 'fastest-levenshtein';

export const awsRegions = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
] as const;

export const gcpRegions = [
  'africa-south1',
  'asia-east1',
  'asia-east2',
  'asia-northeast1',
  'asia-northeast2',
  'asia-northeast3',
  'asia-south1',
  'asia-south2',
  'asia-southeast1',
  'asia-southeast2',
  'australia-southeast1',
  'australia-southeast2',
  'europe-central2',
  'europe-north1',
  'europe-north2',
  'europe-southwest1',
  'europe-west1',
  'europe-west2',
  'europe-west3',
  'europe-west4',
  'europe-west6',
  'europe-west8',
  'europe-west9',
  'europe-west10',
  'europe-west12',
  'me-central1',
  'me-central2',
  'me-west1',
  'northamerica-northeast1',
  'northamerica-northeast2',
  'northamerica-south1',
  'southamerica-east1',
  'southamerica-west1',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-east5',
  'us-south1',
  'us-west1',
  'us-west2',
  'us-west3',
  'us-west4',
] as const;

export type AwsRegion = (typeof awsRegions)[number];
export type GcpRegion = (typeof gcpRegions)[number];

type RegionCloud = 'aws' | 'gcp' | 'k3s';

const k3sRegionPattern = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

/** An example of a valid region name per cloud, shown with every region error. */
export const regionExamples: Record<RegionCloud, string> = {
  aws: 'us-east-1',
  gcp: 'europe-west1',
  k3s: 'home-lab',
};

const regionLists: Record<'aws' | 'gcp', readonly string[]> = { aws: awsRegions, gcp: gcpRegions };

/** undefined when `name` is a region of `cloud`; otherwise what is wrong, with an example or the closest name. */
export function regionProblem(cloud: RegionCloud, name: string): string | undefined {
  if (cloud === 'k3s') {
    return k3sRegionPattern.test(name)
      ? undefined
      : `must be a region name of your choosing, lower-case letters, digits and dashes, such as ${regionExamples.k3s}`;
  }
  const known = regionLists[cloud];
  if (known.includes(name)) return undefined;
  const suggestion = closest(name, known as string[]);
  return `is not ${cloud === 'aws' ? 'an AWS' : 'a GCP'} region; use a region name such as ${regionExamples[cloud]} (closest: ${suggestion})`;
}

/** The AWS region names, for narrowing a config string in the AWS composition. */
export function isAwsRegion(name: string): name is AwsRegion {
  return (awsRegions as readonly string[]).includes(name);
}
