// The gcp settings and the Cloudflare DNS options: gcp-staging parses into typed settings with
// defaults from the environment, and every bad value fails naming the key and a valid example.
import { exampleStackWith } from '../test/harness/pulumi/config-source.ts';
import { type ConfigSource, loadStackConfig, StackConfigError } from './config.ts';

const stackWith = (stack: string, changes: Record<string, unknown> = {}) =>
  exampleStackWith(stack, changes);

function errorOf(source: ConfigSource): StackConfigError {
  try {
    loadStackConfig(source);
  } catch (error) {
    if (error instanceof StackConfigError) return error;
    throw error;
  }
  throw new Error('expected a StackConfigError');
}

describe('gcp settings', () => {
  it('gcp-staging reads its project, release channel and authorized networks', () => {
    const config = loadStackConfig(stackWith('gcp-staging'));
    expect(config.gcp).toEqual({
      project: 'edgeplane-staging',
      releaseChannel: 'REGULAR',
      masterAuthorizedNetworks: [{ name: 'office', cidr: '203.0.113.0/24' }],
      privateEndpoint: false,
    });
    expect(config.regions).toEqual(['europe-west1', 'us-central1']);
    expect(config.dns.externalDns).toBe(false);
  });

  it('defaults to the STABLE channel in prod; private endpoints need no authorized network', () => {
    const config = loadStackConfig(
      stackWith('gcp-staging', {
        environment: 'prod',
        gcp: { project: 'edgeplane-prod', privateEndpoint: true },
        database: { backupRetentionDays: 14 },
        runtime: { image: 'registry.example.com/edgeplane/runtime:0.1.0', edgeReplicas: 3 },
      }),
    );
    expect(config.gcp).toEqual({
      project: 'edgeplane-prod',
      releaseChannel: 'STABLE',
      masterAuthorizedNetworks: [],
      privateEndpoint: true,
    });
  });

  const bad: {
    name: string;
    stack?: string;
    change: Record<string, unknown>;
    key: string;
    says: string;
    example: string;
  }[] = [
    {
      name: 'gcp missing on a gcp stack',
      change: { gcp: undefined },
      key: 'gcp',
      says: 'is required when cloud is gcp',
      example: "pulumi config set --path 'gcp.project' edgeplane-staging",
    },
    {
      name: 'gcp on a k3s stack',
      stack: 'k3s-dev',
      change: { gcp: { project: 'edgeplane-dev' } },
      key: 'gcp',
      says: 'is only used when cloud is gcp',
      example: "pulumi config set --path 'gcp.project' edgeplane-staging",
    },
    {
      name: 'public control planes nobody may reach',
      change: { gcp: { project: 'edgeplane-staging' } },
      key: 'gcp.masterAuthorizedNetworks',
      says: 'must name at least one network (where Pulumi and kubectl run)',
      example: "pulumi config set --path 'gcp.masterAuthorizedNetworks[0].cidr' 203.0.113.0/24",
    },
    {
      name: 'a project number instead of an ID',
      change: { gcp: { project: '123456789012' } },
      key: 'gcp.project',
      says: 'must be a GCP project ID such as edgeplane-staging',
      example: "pulumi config set --path 'gcp.project' edgeplane-staging",
    },
    {
      name: 'an unknown release channel',
      change: { gcp: { project: 'edgeplane-staging', releaseChannel: 'stable' } },
      key: 'gcp.releaseChannel',
      says: 'must be one of RAPID, REGULAR, STABLE',
      example: "pulumi config set --path 'gcp.releaseChannel' STABLE",
    },
    {
      name: 'an authorized network that is not a CIDR',
      change: {
        gcp: {
          project: 'edgeplane-staging',
          masterAuthorizedNetworks: [{ name: 'office', cidr: '203.0.113.0' }],
        },
      },
      key: 'gcp.masterAuthorizedNetworks.0.cidr',
      says: 'must be an IPv4 CIDR such as 203.0.113.0/24',
      example: "pulumi config set --path 'gcp.masterAuthorizedNetworks[0].cidr' 203.0.113.0/24",
    },
    {
      name: 'a GKE region misspelled',
      change: { regions: ['europe-west1', 'us-centrall'] },
      key: 'regions.1',
      says: 'is not a GCP region',
      example: 'pulumi config set --path regions[0] us-east-1',
    },
    {
      name: 'Cloudflare settings with Cloud DNS',
      change: {
        dns: {
          provider: 'clouddns',
          zone: 'staging.example.com',
          cloudflare: { accountId: '0123456789abcdef0123456789abcdef' },
        },
      },
      key: 'dns.cloudflare',
      says: 'is only used when dns.provider is cloudflare',
      example:
        "pulumi config set --path 'dns.cloudflare.accountId' 0123456789abcdef0123456789abcdef",
    },
    {
      name: 'a Cloudflare zone to create without its account',
      stack: 'k3s-dev',
      change: { dns: { provider: 'cloudflare', zone: 'example.com', createZone: true } },
      key: 'dns.cloudflare.accountId',
      says: 'is required when dns.createZone is true on cloudflare',
      example:
        "pulumi config set --path 'dns.cloudflare.accountId' 0123456789abcdef0123456789abcdef",
    },
    {
      name: 'a Cloudflare account ID of the wrong shape',
      stack: 'k3s-dev',
      change: {
        dns: { provider: 'cloudflare', zone: 'example.com', cloudflare: { accountId: 'acme' } },
      },
      key: 'dns.cloudflare.accountId',
      says: 'must be a Cloudflare account ID (32 hex characters)',
      example:
        "pulumi config set --path 'dns.cloudflare.accountId' 0123456789abcdef0123456789abcdef",
    },
  ];

  it.each(bad)(
    'refuses $name, naming $key with an example',
    ({ stack, change, key, says, example }) => {
      const error = errorOf(stackWith(stack ?? 'gcp-staging', change));
      expect(error.problems.map((problem) => problem.path)).toContain(key);
      expect(error.message).toContain(`edgeplane:${key}: ${says}`);
      expect(error.message).toContain(`valid example: ${example}`);
    },
  );
});
