import { z } from 'zod';
import { mapConfigSource } from '../test/harness/pulumi/config-source.ts';
import { placeholderSecrets } from '../test/harness/pulumi/placeholder-secrets.ts';
import { exampleStackNames, readStackConfig } from '../test/harness/pulumi/stack-files.ts';
import { type ConfigSource, loadStackConfig, StackConfigError } from './config.ts';
import { configExamples } from './config-examples.ts';
import { stackConfigSchema } from './config-schema.ts';
import { secretKeyNames } from './config-secrets.ts';

function exampleSource(stack: string, secrets: Record<string, string> = placeholderSecrets) {
  const { values, secretKeys } = readStackConfig(stack, secrets);
  return { values, secretKeys };
}

/** k3s-dev with changes: `undefined` removes a key; objects are merged into the structured value. */
function k3sDevWith(changes: Record<string, unknown>, secrets = placeholderSecrets): ConfigSource {
  const { values, secretKeys } = exampleSource('k3s-dev', secrets);
  for (const [key, value] of Object.entries(changes)) {
    const fullKey = `edgeplane:${key}`;
    if (value === undefined) {
      delete values[fullKey];
    } else if (typeof value === 'string') {
      values[fullKey] = value;
    } else if (Array.isArray(value) || values[fullKey] === undefined) {
      values[fullKey] = JSON.stringify(value);
    } else {
      values[fullKey] = JSON.stringify({ ...JSON.parse(values[fullKey] as string), ...value });
    }
  }
  return mapConfigSource(values, secretKeys, 'k3s-dev');
}

function errorOf(configSource: ConfigSource): StackConfigError {
  try {
    loadStackConfig(configSource);
  } catch (error) {
    if (error instanceof StackConfigError) return error;
    throw error;
  }
  throw new Error('expected a StackConfigError');
}

describe('example stacks', () => {
  it('has the three example stacks', () => {
    expect(exampleStackNames()).toEqual(
      expect.arrayContaining(['aws-prod', 'gcp-staging', 'k3s-dev']),
    );
  });

  it.each(exampleStackNames())('%s parses', (stack) => {
    const { values, secretKeys } = exampleSource(stack);
    const config = loadStackConfig(mapConfigSource(values, secretKeys, stack));
    expect(config.stack).toBe(stack);
    expect(config.homeRegion).toBe(config.regions[0]);
    expect(config.domain.endsWith(config.dns.zone)).toBe(true);
  });

  it('aws-prod gets the prod defaults', () => {
    const { values, secretKeys } = exampleSource('aws-prod');
    const config = loadStackConfig(mapConfigSource(values, secretKeys, 'aws-prod'));
    expect(config.database).toMatchObject({
      multiAz: true,
      deletionProtection: true,
      protect: true,
      backupRetentionDays: 14,
    });
    expect(config.cache.multiAz).toBe(true);
    expect(config.runtime.edgeReplicas).toBeGreaterThanOrEqual(3);
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-1']);
  });

  it('k3s-dev gets small, unprotected dev defaults', () => {
    const { values, secretKeys } = exampleSource('k3s-dev');
    const config = loadStackConfig(mapConfigSource(values, secretKeys, 'k3s-dev'));
    expect(config.database).toMatchObject({
      size: 'small',
      multiAz: false,
      deletionProtection: false,
      protect: false,
    });
    expect(config.runtime).toMatchObject({ edgeReplicas: 1, originReplicas: 1 });
    expect(config.tls.issuer).toBe('local-ca');
    expect(config.cluster.nodeSize).toBeUndefined();
  });

  it('derives node sizes from the cloud and environment when unset', () => {
    const config = loadStackConfig(
      k3sDevWith({
        cloud: 'gcp',
        k3s: undefined,
        gcp: { project: 'edgeplane-test', privateEndpoint: true },
        regions: ['us-central1'],
        dns: { provider: 'clouddns' },
        environment: 'staging',
        tls: { issuer: 'letsencrypt-staging', email: 'ops@example.com' },
      }),
    );
    expect(config.cluster.nodeSize).toBe('n2-standard-2');
    expect(config.runtime.edgeReplicas).toBe(2);
  });
});

// Each bad config gives its own message, naming the full key and showing a valid example.
const badConfigs: { name: string; change: Record<string, unknown>; key: string; says: string }[] = [
  {
    name: 'unknown cloud',
    change: { cloud: 'azure' },
    key: 'cloud',
    says: 'must be one of aws, gcp, k3s',
  },
  {
    name: 'unknown environment',
    change: { environment: 'production' },
    key: 'environment',
    says: 'must be one of dev, staging, prod',
  },
  { name: 'missing domain', change: { domain: undefined }, key: 'domain', says: 'is required' },
  {
    name: 'domain with a scheme',
    change: { domain: 'https://cdn.example.com' },
    key: 'domain',
    says: 'lower-case DNS name',
  },
  { name: 'no regions', change: { regions: [] }, key: 'regions', says: 'at least one region' },
  {
    name: 'duplicate regions',
    change: { regions: ['home-lab', 'home-lab'] },
    key: 'regions',
    says: 'must not name a region twice',
  },
  {
    name: 'regions not a list',
    change: { regions: 'home-lab' },
    key: 'regions',
    says: 'must be structured config',
  },
  {
    name: 'aws region that is no region',
    change: {
      cloud: 'aws',
      k3s: undefined,
      dns: { provider: 'route53' },
      regions: ['us-east-1', 'mars-1'],
    },
    key: 'regions.1',
    says: 'is not an AWS region; use a region name such as us-east-1',
  },
  {
    name: 'storage too small',
    change: { database: { storageGb: 5 } },
    key: 'database.storageGb',
    says: 'from 10 to 65536',
  },
  {
    name: 'storage not a number',
    change: { database: { storageGb: 'lots' } },
    key: 'database.storageGb',
    says: 'whole number',
  },
  {
    name: 'misspelled database key',
    change: { database: { storagGb: 20 } },
    key: 'database.storagGb',
    says: 'did you mean storageGb?',
  },
  {
    name: 'unknown top-level key',
    change: { databse: { size: 'small' } },
    key: 'databse',
    says: 'did you mean database?',
  },
  {
    name: 'dotted key set without --path',
    change: { 'database.size': 'small' },
    key: 'database.size',
    says: 'with --path',
  },
  {
    name: 'maxNodes below minNodes',
    change: { cluster: { minNodes: 4, maxNodes: 2 } },
    key: 'cluster.maxNodes',
    says: 'at least cluster.minNodes (4)',
  },
  {
    name: 'Kubernetes version',
    change: { cluster: { version: '1.3x' } },
    key: 'cluster.version',
    says: 'Kubernetes minor version',
  },
  {
    name: 'unknown dns provider',
    change: { dns: { provider: 'godaddy' } },
    key: 'dns.provider',
    says: 'route53, clouddns, cloudflare',
  },
  {
    name: 'zone not holding the domain',
    change: { dns: { zone: 'example.org' } },
    key: 'dns.zone',
    says: 'zone that holds domain',
  },
  {
    name: 'letsencrypt without email',
    change: { tls: { issuer: 'letsencrypt' } },
    key: 'tls.email',
    says: 'required for the letsencrypt issuer',
  },
  {
    name: 'bad email',
    change: { tls: { issuer: 'letsencrypt', email: 'ops' } },
    key: 'tls.email',
    says: 'email address',
  },
  {
    name: 'bad boolean',
    change: { database: { multiAz: 'yes' } },
    key: 'database.multiAz',
    says: 'true or false',
  },
  {
    name: 'bad memory quantity',
    change: { runtime: { edgeResources: { memory: '2GB' } } },
    key: 'runtime.edgeResources.memory',
    says: 'memory quantity',
  },
  {
    name: 'cache bigger than the edge',
    change: { runtime: { cacheMemoryMb: 4096 } },
    key: 'runtime.cacheMemoryMb',
    says: 'must leave room',
  },
  {
    // 2 CPUs of request: a limit of 4, so 4 traffic threads; with the 1 GB disk tier's index,
    // 768 - 3 x 128 - 84 MB is left for the cache.
    name: 'cache too big for the edge and its threads',
    change: { runtime: { cacheMemoryMb: 512, edgeResources: { cpu: '2', memory: '1Gi' } } },
    key: 'runtime.cacheMemoryMb',
    says: "its 4 traffic threads and its disk tier's index: at most 300",
  },
  {
    name: 'edge memory too small for its threads',
    change: { runtime: { cacheMemoryMb: 16, edgeResources: { cpu: '4', memory: '512Mi' } } },
    key: 'runtime.cacheMemoryMb',
    says: 'too little for its 8 traffic threads: give runtime.edgeResources.memory at least 1328Mi',
  },
  {
    name: 'bad image',
    change: { runtime: { image: 'Not An Image' } },
    key: 'runtime.image',
    says: 'image reference',
  },
  {
    name: 'prod with two edges',
    change: { environment: 'prod', tls: { issuer: 'local-ca' }, runtime: { edgeReplicas: 2 } },
    key: 'runtime.edgeReplicas',
    says: 'at least 3 in prod',
  },
  {
    name: 'prod with a week of backups',
    change: {
      environment: 'prod',
      tls: { issuer: 'local-ca' },
      database: { backupRetentionDays: 7 },
    },
    key: 'database.backupRetentionDays',
    says: 'at least 14 days in prod',
  },
];

describe('bad config', () => {
  it.each(badConfigs)('$name: names $key', ({ change, key, says }) => {
    const error = errorOf(k3sDevWith(change));
    const line = error.message.split('\n').find((text) => text.startsWith(`  edgeplane:${key}: `));
    expect(line).toBeDefined();
    expect(line).toContain(says);
    expect(error.message).toMatch(/valid example: pulumi config set /);
    expect(error.message).toContain('nothing was created');
  });

  it('gives every bad config its own message', () => {
    const messages = badConfigs.map(({ change }) => errorOf(k3sDevWith(change)).message);
    expect(new Set(messages).size).toBe(badConfigs.length);
    expect(badConfigs.length).toBeGreaterThanOrEqual(15);
  });

  it('reports every problem at once, not just the first', () => {
    const error = errorOf(
      k3sDevWith({ environment: 'qa', database: { storageGb: 1, size: 'huge' }, regions: [] }),
    );
    expect(error.problems.map((problem) => problem.path).sort()).toEqual([
      'database.size',
      'database.storageGb',
      'environment',
      'regions',
    ]);
  });

  it('lets the cache take what the edge and its threads leave', () => {
    const config = loadStackConfig(
      k3sDevWith({ runtime: { cacheMemoryMb: 300, edgeResources: { cpu: '2', memory: '1Gi' } } }),
    );
    expect(config.runtime.cacheMemoryMb).toBe(300);
  });

  it('shows the bad value of a plain key', () => {
    expect(errorOf(k3sDevWith({ database: { storageGb: 5 } })).message).toContain('(got 5)');
  });

  it('requires the Cloudflare token when DNS is in Cloudflare', () => {
    const error = errorOf(k3sDevWith({}, {}));
    expect(error.message).toContain(
      'edgeplane:cloudflareApiToken: is required when dns.provider is cloudflare',
    );
    expect(error.message).toContain('pulumi config set --secret cloudflareApiToken');
  });

  it('refuses a secret stored in plain text, without showing it', () => {
    const { values, secretKeys } = exampleSource('k3s-dev');
    const plain = secretKeys.filter((key) => key !== 'edgeplane:slackWebhookUrl');
    const error = errorOf(mapConfigSource(values, plain, 'k3s-dev'));
    expect(error.message).toContain('edgeplane:slackWebhookUrl: must be stored as a secret');
    expect(error.message).not.toContain(values['edgeplane:slackWebhookUrl']);
  });

  it('validates a secret without ever echoing it', () => {
    const leaked = 'https://hooks.example.net/not-slack-but-secret-123';
    const error = errorOf(
      k3sDevWith({}, { ...placeholderSecrets, 'edgeplane:slackWebhookUrl': leaked }),
    );
    expect(error.message).toContain(
      'edgeplane:slackWebhookUrl: must be a Slack incoming-webhook URL',
    );
    expect(error.message).not.toContain(leaked);
  });

  it('refuses a plain key stored as a secret', () => {
    const { values, secretKeys } = exampleSource('k3s-dev');
    const error = errorOf(mapConfigSource(values, [...secretKeys, 'edgeplane:domain'], 'k3s-dev'));
    expect(error.message).toContain('edgeplane:domain: is not a secret');
  });
});

describe('config examples', () => {
  function leafPaths(schema: unknown, prefix = ''): string[] {
    const node = schema as { properties?: Record<string, unknown>; type?: string };
    if (node.type !== 'object' || !node.properties) return [prefix];
    return Object.entries(node.properties).flatMap(([key, inner]) =>
      leafPaths(inner, prefix === '' ? key : `${prefix}.${key}`),
    );
  }

  it('has a valid example for every key of the schema, and none for keys it lacks', () => {
    const jsonSchema = z.toJSONSchema(stackConfigSchema('dev', 'k3s'), { io: 'input' });
    const leaves = leafPaths(jsonSchema).sort();
    const documentExamples = Object.keys(configExamples)
      .filter((key) => !(secretKeyNames as string[]).includes(key))
      .sort();
    expect(documentExamples).toEqual(leaves);
  });

  it('each example value passes the schema', () => {
    const { values, secretKeys } = exampleSource('k3s-dev');
    for (const [key, example] of Object.entries(configExamples)) {
      if (example.startsWith('--') || !key.includes('.')) continue;
      const [top, ...rest] = key.split('.') as [string, ...string[]];
      const document = JSON.parse(values[`edgeplane:${top}`] ?? '{}');
      let target = document;
      for (const part of rest.slice(0, -1)) target = target[part] ??= {};
      const raw = example;
      target[rest[rest.length - 1] as string] =
        raw === 'true' || raw === 'false'
          ? raw === 'true'
          : /^\d+$/.test(raw) && !key.endsWith('version')
            ? Number(raw)
            : raw;
      const withExample = { ...values, [`edgeplane:${top}`]: JSON.stringify(document) };
      const problems = (() => {
        try {
          loadStackConfig(mapConfigSource(withExample, secretKeys, 'k3s-dev'));
          return [];
        } catch (error) {
          return (error as StackConfigError).problems.filter((problem) => problem.path === key);
        }
      })();
      expect({ key, problems }).toEqual({ key, problems: [] });
    }
  });
});
