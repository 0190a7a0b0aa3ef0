// The only reader of Pulumi config. Reads every `edgeplane:*` key once, validates the whole stack
// config with zod, and returns typed objects; secrets come back only as secret Outputs.
import * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import {
  type ConfigProblem,
  closestKey,
  knownKeysUnder,
  StackConfigError,
} from './config-errors.ts';
import {
  clouds,
  documentKeys,
  environments,
  type StackDocument,
  stackConfigSchema,
} from './config-schema.ts';
import { type SecretConfigKey, secretConfigKeys, secretKeyNames } from './config-secrets.ts';

export { StackConfigError } from './config-errors.ts';
export type { Cloud, Environment } from './config-schema.ts';

export const configNamespace = 'edgeplane';

/** Where raw config comes from: Pulumi's config at run time, a plain map in unit tests. */
export interface ConfigSource {
  stack: string;
  /** Raw values by full key (`edgeplane:database`); structured values are JSON text, as Pulumi passes them. */
  values: Readonly<Record<string, string>>;
  isSecret(fullKey: string): boolean;
  /** The secret value as a secret Output (Pulumi's `requireSecret`). */
  secret(key: SecretConfigKey): pulumi.Output<string>;
}

/** The k3s settings with the secret that goes with the mode. */
export type K3sSettings = NonNullable<StackDocument['k3s']> & {
  /** mode existing: the cluster's kubeconfig, a secret Output. */
  kubeconfig?: pulumi.Output<string>;
  /** mode install: the SSH key that reaches every host, a secret Output. */
  sshPrivateKey?: pulumi.Output<string>;
};

export type StackConfig = Omit<StackDocument, 'dns' | 'monitoring' | 'k3s'> & {
  /** Set exactly when cloud is k3s. */
  k3s?: K3sSettings;
  stack: string;
  homeRegion: string;
  dns: StackDocument['dns'] & { cloudflareApiToken?: pulumi.Output<string> };
  monitoring: StackDocument['monitoring'] & {
    slackWebhookUrl?: pulumi.Output<string>;
    pagerdutyRoutingKey?: pulumi.Output<string>;
  };
};

const structuredKeys = new Set<string>([
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
]);

/** Reads the running stack's config. Throws StackConfigError before anything is registered. */
export function loadStackConfig(source: ConfigSource = pulumiConfigSource()): StackConfig {
  const problems: ConfigProblem[] = [];
  const document = readDocument(source, problems);
  const presentSecrets = readSecrets(source, problems);

  const environment = pick(environments, document.environment, 'dev');
  const cloud = pick(clouds, document.cloud, 'k3s');
  const parsed = stackConfigSchema(environment, cloud).safeParse(document, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap(toProblems));

  if (parsed.success) {
    const needsToken = parsed.data.dns.provider === 'cloudflare';
    if (needsToken && !presentSecrets.has('cloudflareApiToken')) {
      problems.push({
        path: 'cloudflareApiToken',
        message: 'is required when dns.provider is cloudflare',
      });
    }
    const k3sSecret = requiredK3sSecret(parsed.data.k3s?.mode);
    if (k3sSecret && !presentSecrets.has(k3sSecret)) {
      problems.push({
        path: k3sSecret,
        message: `is required when k3s.mode is ${parsed.data.k3s?.mode}`,
      });
    }
  }
  if (!parsed.success || problems.length > 0) {
    throw new StackConfigError(configNamespace, source.stack, problems);
  }

  const config = parsed.data;
  const secret = (key: SecretConfigKey) =>
    presentSecrets.has(key) ? source.secret(key) : undefined;
  const k3s: K3sSettings | undefined = config.k3s && {
    ...config.k3s,
    kubeconfig: config.k3s.mode === 'existing' ? secret('k3sKubeconfig') : undefined,
    sshPrivateKey: config.k3s.mode === 'install' ? secret('k3sSshPrivateKey') : undefined,
  };
  return {
    ...config,
    k3s,
    stack: source.stack,
    homeRegion: config.regions[0] as string,
    dns: { ...config.dns, cloudflareApiToken: secret('cloudflareApiToken') },
    monitoring: {
      ...config.monitoring,
      slackWebhookUrl: secret('slackWebhookUrl'),
      pagerdutyRoutingKey: secret('pagerdutyRoutingKey'),
    },
  };
}

function requiredK3sSecret(mode: 'existing' | 'install' | undefined): SecretConfigKey | undefined {
  if (mode === 'existing') return 'k3sKubeconfig';
  if (mode === 'install') return 'k3sSshPrivateKey';
  return undefined;
}

function readDocument(source: ConfigSource, problems: ConfigProblem[]): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const [fullKey, raw] of Object.entries(source.values)) {
    const [namespace, key = ''] = splitKey(fullKey);
    if (namespace !== configNamespace) continue;
    if ((secretKeyNames as string[]).includes(key)) continue;
    if (!(documentKeys as readonly string[]).includes(key)) {
      problems.push(unknownKeyProblem(key, ''));
      continue;
    }
    if (source.isSecret(fullKey)) {
      problems.push({ path: key, message: 'is not a secret: set it without --secret' });
      continue;
    }
    if (!structuredKeys.has(key)) {
      document[key] = raw;
      continue;
    }
    try {
      document[key] = JSON.parse(raw);
    } catch {
      problems.push({
        path: key,
        message: `must be structured config (a YAML ${key === 'regions' ? 'list' : 'mapping'} in Pulumi.${source.stack}.yaml)`,
        got: raw,
      });
    }
  }
  return document;
}

function readSecrets(source: ConfigSource, problems: ConfigProblem[]): Set<SecretConfigKey> {
  const present = new Set<SecretConfigKey>();
  for (const key of secretKeyNames) {
    const fullKey = `${configNamespace}:${key}`;
    const raw = source.values[fullKey];
    if (raw === undefined) continue;
    if (!source.isSecret(fullKey)) {
      problems.push({
        path: key,
        message: 'must be stored as a secret: set it again with --secret (the value is not shown)',
      });
      continue;
    }
    const result = secretConfigKeys[key].safeParse(raw);
    if (!result.success) {
      // The message is the schema's own; the value itself is never part of it.
      problems.push({ path: key, message: result.error.issues[0]?.message ?? 'is invalid' });
      continue;
    }
    present.add(key);
  }
  return present;
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => unknownKeyProblem(key, path));
  }
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return [
    {
      path,
      message: missing ? `is required: ${issue.message}` : issue.message,
      got: missing || issue.code === 'custom' ? undefined : issue.input,
    },
  ];
}

function unknownKeyProblem(key: string, parent: string): ConfigProblem {
  const path = parent === '' ? key : `${parent}.${key}`;
  if (key.includes('.')) {
    return {
      path,
      message: 'is not a known key; nested keys are set with --path (pulumi config set --path ...)',
      exampleOf: key,
    };
  }
  const known = knownKeysUnder(parent);
  const suggestion = closestKey(key, known);
  if (suggestion) {
    const suggested = parent === '' ? suggestion : `${parent}.${suggestion}`;
    return {
      path,
      message: `is not a known key; did you mean ${suggestion}?`,
      exampleOf: suggested,
    };
  }
  return { path, message: `is not a known key; known keys here: ${known.join(', ')}` };
}

function splitKey(fullKey: string): [string, string?] {
  const colon = fullKey.indexOf(':');
  return colon < 0 ? [fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

function pick<T extends string>(allowed: readonly T[], value: unknown, fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Pulumi's own config for the running stack. */
export function pulumiConfigSource(): ConfigSource {
  const config = new pulumi.Config(configNamespace);
  // isConfigSecret is exported by the SDK's runtime but left out of its typings.
  const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };
  return {
    stack: pulumi.getStack(),
    values: pulumi.runtime.allConfig(),
    isSecret: (fullKey) => runtime.isConfigSecret(fullKey),
    secret: (key) => config.requireSecret(key),
  };
}
