import type { ResourceValidationPolicy } from '@pulumi/policy';
import { isWorkload } from '../lib/pods.ts';
import { read, unknown } from '../lib/props.ts';
import { stringsIn } from '../lib/strings.ts';

interface RedisTlsConfig {
  allowPlaintextHosts: string[];
}

const plaintextUrl = /\bredis:\/\/(?:[^@\s/]*@)?([^:/?\s]+)/gi;

function allowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern,
  );
}

/** Where connection URLs sit: a workload's container env, a Secret's or a ConfigMap's data. */
function connectionStrings(type: string, props: unknown): [string, string][] {
  if (isWorkload(type))
    return stringsIn(props, 'spec').filter(([path]) => /\.env\.\d+\.value$/.test(path));
  if (type === 'kubernetes:core/v1:Secret') {
    const decoded = stringsIn(read(props, 'data'), 'data').map(
      ([path, value]): [string, string] => [path, Buffer.from(value, 'base64').toString('utf8')],
    );
    return [...stringsIn(read(props, 'stringData'), 'stringData'), ...decoded];
  }
  if (type === 'kubernetes:core/v1:ConfigMap') return stringsIn(read(props, 'data'), 'data');
  return [];
}

/**
 * Redis traffic is encrypted: managed Redis with transit encryption required (ElastiCache,
 * Memorystore), and no plaintext `redis://` URL handed to a workload (env, Secret, ConfigMap)
 * unless its host is allowed by config (e.g. an in-cluster dev store).
 */
export const redisTls: ResourceValidationPolicy = {
  name: 'redis-tls',
  description:
    'Redis is reached over TLS: ElastiCache transit encryption required, Memorystore SERVER_AUTHENTICATION, and rediss:// (not redis://) in workload env, Secrets and ConfigMaps.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      allowPlaintextHosts: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Hosts a plaintext redis:// URL may name: exact names or `*.suffix` patterns (e.g. "*.svc" for in-cluster stores of a dev stack).',
      },
    },
  },
  validateResource: (args, report) => {
    const { props, type } = args;
    switch (type) {
      case 'aws:elasticache/replicationGroup:ReplicationGroup':
      case 'aws:elasticache/cluster:Cluster': {
        if (type === 'aws:elasticache/cluster:Cluster' && read(props, 'engine') !== 'redis') return;
        const enabled = read(props, 'transitEncryptionEnabled');
        const mode = read(props, 'transitEncryptionMode');
        if (enabled !== true && enabled !== unknown) {
          report(
            `ElastiCache ${args.name}: transitEncryptionEnabled is not true (clients connect in plaintext)`,
          );
        } else if (mode === 'preferred') {
          report(
            `ElastiCache ${args.name}: transitEncryptionMode is "preferred", which still accepts plaintext; use "required"`,
          );
        }
        return;
      }
      case 'gcp:redis/instance:Instance': {
        const mode = read(props, 'transitEncryptionMode');
        if (mode !== 'SERVER_AUTHENTICATION' && mode !== unknown) {
          report(
            `Memorystore ${args.name}: transitEncryptionMode is ${String(mode ?? 'DISABLED (unset)')}; set SERVER_AUTHENTICATION`,
          );
        }
        return;
      }
      case 'gcp:redis/cluster:Cluster': {
        const mode = read(props, 'transitEncryptionMode');
        if (mode !== 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION' && mode !== unknown) {
          report(
            `Memorystore cluster ${args.name}: transitEncryptionMode is ${String(mode ?? 'unset')}; set TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION`,
          );
        }
        return;
      }
    }
    // Defaults in code too: a pack served without the CLI's config gets {} from getConfig().
    const { allowPlaintextHosts = [] } = args.getConfig<Partial<RedisTlsConfig>>();
    for (const [path, value] of connectionStrings(type, props)) {
      for (const match of value.matchAll(plaintextUrl)) {
        const host = match[1] ?? '';
        if (!allowed(host, allowPlaintextHosts)) {
          report(
            `${args.name}: ${path} connects to Redis at ${host} with plaintext redis://; use rediss://`,
          );
        }
      }
    }
  },
};
