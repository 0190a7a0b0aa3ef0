// The aws settings and AWS-specific rules: edgeplane:aws parses with defaults, is refused on other
// clouds, and every bad value fails before anything is created, naming the key with an example.
import { exampleStackWith } from '../test/harness/pulumi/config-source.ts';
import { awsSchema } from './aws/config-schema.ts';
import { type ConfigSource, loadStackConfig, StackConfigError } from './config.ts';
import { awsRegions, gcpRegions, regionProblem } from './regions.ts';

const stackWith = (stack: string, changes: Record<string, unknown> = {}) =>
  exampleStackWith(stack, changes);

function problemLine(source: ConfigSource, key: string): string {
  try {
    loadStackConfig(source);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    expect(error.message).toContain('nothing was created');
    const line = error.message.split('\n').find((text) => text.startsWith(`  edgeplane:${key}: `));
    if (!line) throw new Error(`no problem named edgeplane:${key} in:\n${error.message}`);
    return line;
  }
  throw new Error('expected a StackConfigError');
}

describe('aws settings', () => {
  it('aws-prod reads its admins, API allowlist and capacity', () => {
    const config = loadStackConfig(stackWith('aws-prod'));
    expect(config.aws).toEqual({
      adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
      publicAccessCidrs: ['203.0.113.0/24'],
      spot: false,
      vpcCidr: '10.0.0.0/16',
      availabilityZones: 3,
      logRetentionDays: 90,
    });
  });

  it('defaults to a private-only API and no extra admins', () => {
    expect(awsSchema('dev').parse({})).toEqual({
      adminRoleArns: [],
      publicAccessCidrs: [],
      spot: false,
      vpcCidr: '10.0.0.0/16',
      availabilityZones: 3,
      logRetentionDays: 14,
    });
    const config = loadStackConfig(stackWith('aws-prod', { aws: undefined }));
    expect(config.aws).toBeUndefined();
  });
});

const badAws: { name: string; change: Record<string, unknown>; key: string; says: string }[] = [
  {
    name: 'an admin that is no role ARN',
    change: { aws: { adminRoleArns: ['arn:aws:iam::123456789012:user/alice'] } },
    key: 'aws.adminRoleArns.0',
    says: 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin',
  },
  {
    name: 'the API open to the internet',
    change: { aws: { publicAccessCidrs: ['0.0.0.0/0'] } },
    key: 'aws.publicAccessCidrs',
    says: 'must not open the API to the whole internet',
  },
  {
    name: 'a CIDR that is no CIDR',
    change: { aws: { publicAccessCidrs: ['203.0.113.0/33'] } },
    key: 'aws.publicAccessCidrs.0',
    says: 'must be an IPv4 CIDR such as 203.0.113.0/24',
  },
  {
    name: 'a VPC too large',
    change: { aws: { vpcCidr: '10.0.0.0/8' } },
    key: 'aws.vpcCidr',
    says: 'must be a /16 to /20 range',
  },
  {
    name: 'one availability zone',
    change: { aws: { availabilityZones: 1 } },
    key: 'aws.availabilityZones',
    says: 'must be 2 or 3',
  },
  {
    name: 'a retention CloudWatch does not offer',
    change: { aws: { logRetentionDays: 45 } },
    key: 'aws.logRetentionDays',
    says: 'must be one of 7, 14, 30, 60, 90, 180, 365 days',
  },
  {
    name: 'a misspelled aws key',
    change: { aws: { adminRoles: [] } },
    key: 'aws.adminRoles',
    says: 'is not a known key; known keys here: adminRoleArns, availabilityZones',
  },
  {
    name: 'DNS outside Route53',
    change: { dns: { provider: 'clouddns', zone: 'example.com' } },
    key: 'dns.provider',
    says: 'must be route53 when cloud is aws',
  },
  {
    name: 'the edge hostname at the zone apex',
    change: { domain: 'example.com' },
    key: 'domain',
    says: 'must be a name below dns.zone on aws, such as cdn.example.com',
  },
];

describe('bad aws config', () => {
  it.each(badAws)('$name: names $key', ({ change, key, says }) => {
    const line = problemLine(stackWith('aws-prod', change), key);
    expect(line).toContain(says);
  });

  it('refuses aws settings on another cloud', () => {
    const line = problemLine(stackWith('k3s-dev', { aws: { spot: true } }), 'aws');
    expect(line).toContain("is only used when cloud is aws (this stack's cloud is k3s)");
  });
});

describe('region names', () => {
  it('knows the real names of each cloud', () => {
    expect(awsRegions).toEqual(
      expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-1']),
    );
    expect(gcpRegions).toEqual(expect.arrayContaining(['europe-west1', 'us-central1']));
    for (const region of [...awsRegions, ...gcpRegions]) {
      expect(region).toMatch(/^[a-z]+(-[a-z]+)+-?\d+$/);
    }
    expect(new Set(awsRegions).size).toBe(awsRegions.length);
    expect(new Set(gcpRegions).size).toBe(gcpRegions.length);
  });

  it('names the closest real region for a typo, and an example', () => {
    expect(regionProblem('aws', 'eu-west-1')).toBeUndefined();
    expect(regionProblem('aws', 'us-east-7')).toBe(
      'is not an AWS region; use a region name such as us-east-1 (closest: us-east-1)',
    );
    expect(regionProblem('gcp', 'europe-west-1')).toBe(
      'is not a GCP region; use a region name such as europe-west1 (closest: europe-west1)',
    );
    expect(regionProblem('aws', 'europe-west1')).toContain('is not an AWS region');
    expect(regionProblem('k3s', 'home-lab')).toBeUndefined();
    expect(regionProblem('k3s', 'Home Lab')).toContain('lower-case letters, digits and dashes');
  });

  it('fails a stack with an unknown region before anything, naming the entry', () => {
    const line = problemLine(
      stackWith('aws-prod', { regions: ['us-east-1', 'eu-wset-1'] }),
      'regions.1',
    );
    expect(line).toContain('is not an AWS region; use a region name such as us-east-1');
    expect(line).toContain('closest: eu-west-1');
  });
});
