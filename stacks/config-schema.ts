// The stack config schema. Defaults come from `environment`; prod minimums are enforced here so a
// bad value fails before any resource is registered. Secrets are not part of this document: they
// are separate keys set with `pulumi config set --secret` (see config-secrets.ts).
import { z } from 'zod';
import { edgeCacheProblem, memoryQuantityPattern } from '../components/cdn/edge-memory.ts';
import { awsSchema } from './aws/config-schema.ts';
import { gcpSchema } from './gcp/config-schema.ts';
import { regionExamples, regionProblem } from './regions.ts';

export const clouds = ['aws', 'gcp', 'k3s'] as const;
export const environments = ['dev', 'staging', 'prod'] as const;
export const dnsProviders = ['route53', 'clouddns', 'cloudflare'] as const;
export const tlsIssuers = ['letsencrypt', 'letsencrypt-staging', 'local-ca'] as const;
export const sizes = ['small', 'medium', 'large', 'xlarge'] as const;
/** k3s: use a running cluster from a kubeconfig, or install k3s on hosts over SSH. */
export const k3sModes = ['existing', 'install'] as const;
/** The k3s release installed when k3s.version is not set; its minor matches cluster.version's default. */
export const defaultK3sVersion = 'v1.34.1+k3s1';

export type Cloud = (typeof clouds)[number];
export type Environment = (typeof environments)[number];

/** What `environment` changes: prod is highly available and protected, dev is small and cheap. */
export const environmentDefaults = {
  dev: {
    minNodes: 1,
    maxNodes: 3,
    databaseSize: 'small',
    storageGb: 20,
    backupRetentionDays: 1,
    highlyAvailable: false,
    protectData: false,
    cacheSize: 'small',
    cacheReplicas: 0,
    tlsIssuer: 'local-ca',
    retentionDays: 3,
    edgeReplicas: 1,
    originReplicas: 1,
    cacheMemoryMb: 256,
    edgeMemory: '512Mi',
  },
  staging: {
    minNodes: 2,
    maxNodes: 6,
    databaseSize: 'medium',
    storageGb: 50,
    backupRetentionDays: 7,
    highlyAvailable: false,
    protectData: false,
    cacheSize: 'small',
    cacheReplicas: 1,
    tlsIssuer: 'letsencrypt-staging',
    retentionDays: 7,
    edgeReplicas: 2,
    originReplicas: 2,
    cacheMemoryMb: 512,
    edgeMemory: '1Gi',
  },
  prod: {
    minNodes: 3,
    maxNodes: 12,
    databaseSize: 'large',
    storageGb: 100,
    backupRetentionDays: 14,
    highlyAvailable: true,
    protectData: true,
    cacheSize: 'medium',
    cacheReplicas: 2,
    tlsIssuer: 'letsencrypt',
    retentionDays: 30,
    edgeReplicas: 3,
    originReplicas: 2,
    cacheMemoryMb: 1024,
    edgeMemory: '2Gi',
  },
} as const satisfies Record<Environment, unknown>;

/** What prod may not go below, whatever the stack sets. */
export const prodMinimums = { edgeReplicas: 3, backupRetentionDays: 14 } as const;

/** Node machine types per cloud when `cluster.nodeSize` is not set. k3s runs on the hosts it is given. */
export const defaultNodeSizes: Record<Cloud, Record<Environment, string | undefined>> = {
  aws: { dev: 't3.large', staging: 'm7i.large', prod: 'm7i.xlarge' },
  gcp: { dev: 'e2-standard-2', staging: 'n2-standard-2', prod: 'n2-standard-4' },
  k3s: { dev: undefined, staging: undefined, prod: undefined },
};

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const ipv4Pattern = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/;
// Loose on purpose: hex digits and at least two colons, at most one `::`; SSH judges the rest.
const ipv6Pattern = /^(?=(?:[^:]*:){2})(?!.*::.*::)[0-9a-f:]{2,39}$/i;
// A short name resolved by /etc/hosts or a search domain, common in home labs.
const singleLabelPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A host reached over SSH: a DNS name, an IPv4 or an IPv6 address. */
const sshHost = z
  .string({ error: 'must be a host name or IP address such as k3s-1.example.com or 192.0.2.10' })
  .refine(
    (host) =>
      hostnamePattern.test(host) ||
      singleLabelPattern.test(host) ||
      ipv4Pattern.test(host) ||
      ipv6Pattern.test(host),
    'must be a host name or IP address such as k3s-1.example.com or 192.0.2.10',
  );

const hostname = (example: string) =>
  z.string().regex(hostnamePattern, `must be a lower-case DNS name such as ${example}`);

const count = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

const flag = z.boolean({ error: 'must be true or false' });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const cpuQuantity = z
  .string({ error: 'must be a Kubernetes CPU quantity such as 500m or 2' })
  .regex(/^(\d+m|\d+(\.\d+)?)$/, 'must be a Kubernetes CPU quantity such as 500m or 2');
const memoryQuantity = z
  .string({ error: 'must be a Kubernetes memory quantity such as 512Mi or 2Gi' })
  .regex(memoryQuantityPattern, 'must be a Kubernetes memory quantity such as 512Mi or 2Gi');

const resources = (cpu: string, memory: string) =>
  z
    .strictObject({
      cpu: cpuQuantity.default(cpu),
      memory: memoryQuantity.default(memory),
    })
    .prefault({});

export function stackConfigSchema(environment: Environment, cloud: Cloud) {
  const d = environmentDefaults[environment];
  return z
    .strictObject({
      cloud: oneOf(clouds),
      environment: oneOf(environments),
      domain: hostname('cdn.example.com'),
      regions: z
        .array(
          z
            .string({ error: `must be a region name such as ${regionExamples[cloud]}` })
            .superRefine((name, ctx) => {
              const problem = regionProblem(cloud, name);
              if (problem) ctx.addIssue({ code: 'custom', message: problem, input: name });
            }),
          { error: `must be a list of ${cloud} region names, home first` },
        )
        .min(1, 'must name at least one region: the first is home')
        .max(12, 'must name at most 12 regions')
        .refine((names) => new Set(names).size === names.length, 'must not name a region twice'),
      cluster: z
        .strictObject({
          version: z
            .string()
            .regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as 1.34')
            .default('1.34'),
          nodeSize: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]+$/, 'must be a machine type such as m7i.large')
            .optional(),
          minNodes: count(1, 100).default(d.minNodes),
          maxNodes: count(1, 500).default(d.maxNodes),
        })
        .transform((cluster) => ({
          ...cluster,
          nodeSize: cluster.nodeSize ?? defaultNodeSizes[cloud][environment],
        }))
        .prefault({}),
      database: z
        .strictObject({
          version: z
            .string()
            .regex(/^1[5-8]$/, 'must be a PostgreSQL major version from 15 to 18')
            .default('17'),
          size: oneOf(sizes).default(d.databaseSize),
          storageGb: count(10, 65536).default(d.storageGb),
          backupRetentionDays: count(1, 35).default(d.backupRetentionDays),
          multiAz: flag.default(d.highlyAvailable),
          deletionProtection: flag.default(d.protectData),
          protect: flag.default(d.protectData),
        })
        .prefault({}),
      cache: z
        .strictObject({
          size: oneOf(sizes).default(d.cacheSize),
          replicas: count(0, 5).default(d.cacheReplicas),
          multiAz: flag.default(d.highlyAvailable),
        })
        .prefault({}),
      dns: z.strictObject({
        provider: oneOf(dnsProviders),
        zone: hostname('example.com'),
        createZone: flag.default(false),
        /** Cloudflare only: the account that owns load balancers, and whether to use them (a paid add-on). */
        cloudflare: z
          .strictObject({
            accountId: z
              .string({ error: 'must be a Cloudflare account ID (32 hex characters)' })
              .regex(/^[0-9a-f]{32}$/, 'must be a Cloudflare account ID (32 hex characters)'),
            loadBalancing: flag.default(false),
          })
          .optional(),
        /** Also run external-dns in every cluster, for records the stack does not manage itself. */
        externalDns: flag.default(false),
      }),
      tls: z
        .strictObject({
          issuer: oneOf(tlsIssuers).default(d.tlsIssuer),
          email: z.email('must be an email address such as ops@example.com').optional(),
        })
        .prefault({}),
      k3s: z
        .strictObject({
          mode: oneOf(k3sModes),
          server: sshHost.optional(),
          agents: z
            .array(sshHost, { error: 'must be a list of agent hosts (k3s.server excluded)' })
            .max(50, 'must name at most 50 agents')
            .default([]),
          user: z
            .string({ error: 'must be a Unix user name such as ubuntu' })
            .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Unix user name such as ubuntu')
            .default('root'),
          sshPort: count(1, 65535).default(22),
          version: z
            .string({ error: 'must be a k3s release such as v1.34.1+k3s1' })
            .regex(/^v1\.\d{2}\.\d+\+k3s\d+$/, 'must be a k3s release such as v1.34.1+k3s1')
            .default(defaultK3sVersion),
        })
        .optional(),
      aws: awsSchema(environment).optional(),
      gcp: gcpSchema(environment).optional(),
      monitoring: z
        .strictObject({
          retentionDays: count(1, 365).default(d.retentionDays),
        })
        .prefault({}),
      runtime: z
        .strictObject({
          image: z
            .string()
            .regex(
              /^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9._-]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
              'must be an image reference such as registry.example.com/edgeplane/runtime:0.1.0',
            )
            .default('edgeplane/runtime:0.1.0'),
          edgeReplicas: count(1, 500).default(d.edgeReplicas),
          originReplicas: count(1, 50).default(d.originReplicas),
          cacheMemoryMb: count(16, 262144).default(d.cacheMemoryMb),
          edgeResources: resources('500m', d.edgeMemory),
          originResources: resources('250m', '512Mi'),
        })
        .prefault({}),
    })
    .superRefine((config, ctx) => {
      if (config.cluster.maxNodes < config.cluster.minNodes) {
        ctx.addIssue({
          code: 'custom',
          path: ['cluster', 'maxNodes'],
          message: `must be at least cluster.minNodes (${config.cluster.minNodes})`,
        });
      }
      if (config.domain !== config.dns.zone && !config.domain.endsWith(`.${config.dns.zone}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'zone'],
          message: `must be the zone that holds domain ${config.domain}, e.g. ${config.domain.split('.').slice(1).join('.') || 'example.com'}`,
        });
      }
      if (config.tls.issuer !== 'local-ca' && !config.tls.email) {
        ctx.addIssue({
          code: 'custom',
          path: ['tls', 'email'],
          message: `is required for the ${config.tls.issuer} issuer (Let's Encrypt sends expiry notices there)`,
        });
      }
      checkK3s(config, cloud, ctx);
      checkGcp(config, cloud, ctx);
      if (cloud === 'aws' && config.dns.provider !== 'route53') {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'provider'],
          message: 'must be route53 when cloud is aws',
        });
      }
      if (cloud === 'aws' && config.domain === config.dns.zone) {
        // Latency records per region are CNAMEs to each region's load balancer: not at a zone apex.
        ctx.addIssue({
          code: 'custom',
          path: ['domain'],
          message: `must be a name below dns.zone on aws, such as cdn.${config.dns.zone} (a zone apex cannot hold the per-region CNAME records)`,
        });
      }
      if (cloud !== 'aws' && config.aws) {
        ctx.addIssue({
          code: 'custom',
          path: ['aws'],
          message: `is only used when cloud is aws (this stack's cloud is ${cloud})`,
        });
      }
      if (config.dns.provider === 'cloudflare' && config.dns.createZone && !config.dns.cloudflare) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'cloudflare', 'accountId'],
          message:
            'is required when dns.createZone is true on cloudflare: the account the zone is created in',
        });
      }
      if (config.dns.cloudflare && config.dns.provider !== 'cloudflare') {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'cloudflare'],
          message: `is only used when dns.provider is cloudflare (this stack's is ${config.dns.provider})`,
        });
      }
      const cacheProblem = edgeCacheProblem(
        config.runtime.cacheMemoryMb,
        config.runtime.edgeResources,
      );
      if (cacheProblem !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['runtime', 'cacheMemoryMb'], message: cacheProblem });
      }
      if (config.environment === 'prod') {
        if (config.runtime.edgeReplicas < prodMinimums.edgeReplicas) {
          ctx.addIssue({
            code: 'custom',
            path: ['runtime', 'edgeReplicas'],
            message: `must be at least ${prodMinimums.edgeReplicas} in prod`,
          });
        }
        if (config.database.backupRetentionDays < prodMinimums.backupRetentionDays) {
          ctx.addIssue({
            code: 'custom',
            path: ['database', 'backupRetentionDays'],
            message: `must be at least ${prodMinimums.backupRetentionDays} days in prod`,
          });
        }
      }
    });
}

interface K3sSettingsInput {
  mode: (typeof k3sModes)[number];
  server?: string;
  agents: string[];
  version: string;
}

/** Cross-key rules of `k3s`: present exactly on k3s, hosts only when installing, versions agree. */
function checkK3s(
  config: { cluster: { version: string }; k3s?: K3sSettingsInput },
  cloud: Cloud,
  ctx: z.RefinementCtx,
) {
  const { k3s } = config;
  const issue = (path: string[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['k3s', ...path], message });
  if (cloud !== 'k3s') {
    if (k3s) issue([], `is only used when cloud is k3s (this stack's cloud is ${cloud})`);
    return;
  }
  if (!k3s) {
    issue(
      [],
      'is required when cloud is k3s: mode existing (with the k3sKubeconfig secret) or mode install (with k3s.server and the k3sSshPrivateKey secret)',
    );
    return;
  }
  if (k3s.mode === 'existing') {
    if (k3s.server !== undefined || k3s.agents.length > 0) {
      issue(
        [k3s.server !== undefined ? 'server' : 'agents'],
        'is only used when k3s.mode is install; an existing cluster is reached through the k3sKubeconfig secret',
      );
    }
    return;
  }
  if (k3s.server === undefined) {
    issue(['server'], 'is required when k3s.mode is install: the host that runs the k3s server');
    return;
  }
  const hosts = [k3s.server, ...k3s.agents];
  if (new Set(hosts).size !== hosts.length) {
    issue(['agents'], 'must not name a host twice, nor the server');
  }
  const minor = /^v(1\.\d{2})\./.exec(k3s.version)?.[1];
  if (minor !== undefined && minor !== config.cluster.version) {
    issue(
      ['version'],
      `must be a ${config.cluster.version} release to match cluster.version, such as v${config.cluster.version}.1+k3s1`,
    );
  }
}

/** `gcp` is present exactly on gcp stacks. */
function checkGcp(
  config: { gcp?: unknown; dns?: { provider: string } },
  cloud: Cloud,
  ctx: z.RefinementCtx,
) {
  if (cloud === 'gcp' && !config.gcp) {
    ctx.addIssue({
      code: 'custom',
      path: ['gcp'],
      message: 'is required when cloud is gcp: at least gcp.project, e.g. edgeplane-staging',
    });
  }
  if (cloud === 'gcp' && config.dns?.provider === 'route53') {
    ctx.addIssue({
      code: 'custom',
      path: ['dns', 'provider'],
      message: 'must be clouddns or cloudflare on gcp (Route53 answers for aws stacks)',
    });
  }
  if (cloud !== 'gcp' && config.gcp) {
    ctx.addIssue({
      code: 'custom',
      path: ['gcp'],
      message: `is only used when cloud is gcp (this stack's cloud is ${cloud})`,
    });
  }
}

export type StackDocument = z.output<ReturnType<typeof stackConfigSchema>>;

/** Top-level keys of the document, each one `edgeplane:<key>` in Pulumi.<stack>.yaml. */
export const documentKeys = [
  'cloud',
  'environment',
  'domain',
  'regions',
  'cluster',
  'database',
  'cache',
  'dns',
  'tls',
  'k3s',
  'aws',
  'gcp',
  'monitoring',
  'runtime',
] as const;
