// Which environment (dev, staging, prod) a resource belongs to. A policy pack cannot read the stack's
// config, so a policy learns it, first match wins, from:
//   1. the policy's own config `environment` (set per stack in the pack config of CI: authoritative);
//   2. the resource's own tags or labels: AWS `edgeplane:environment`, GCP `environment`,
//      Kubernetes `edgeplane.dev/environment` (edgeplane's components set them on everything);
//   3. its provider's defaults: AWS `defaultTags.tags`, GCP `defaultLabels` (edgeplane sets both);
//   4. the stack's tags `edgeplane:environment` or `environment` (Pulumi Cloud stack tags).
// None of these: undefined, and the caller decides (the environment-aware policies apply prod's
// rules: a policy that cannot tell must not wave a production database through).
import type { PolicyConfigSchema, ResourceValidationArgs } from '@pulumi/policy';
import { isUnknown, read } from './props.ts';

/** One property's JSON schema in a policy's configSchema (@pulumi/policy does not export its name). */
export type ConfigPropertySchema = PolicyConfigSchema['properties'][string];

export const environments = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof environments)[number];

export function isEnvironment(value: unknown): value is Environment {
  return typeof value === 'string' && (environments as readonly string[]).includes(value);
}

/** The `environment` key every environment-aware policy takes in its configSchema. */
export const environmentConfigProperty: ConfigPropertySchema = {
  type: 'string',
  enum: [...environments],
  description:
    "The stack's environment. Unset: taken from the resource's tags/labels (edgeplane:environment, environment, edgeplane.dev/environment), its provider's default tags/labels, then the stack's tags; prod when none says.",
};

/** Where a resource's own environment tag or label sits, by cloud. */
const ownEnvironmentPaths: readonly (readonly string[])[] = [
  ['tags', 'edgeplane:environment'],
  ['labels', 'environment'],
  ['resourceLabels', 'environment'],
  ['nodeConfig', 'resourceLabels', 'environment'],
  ['settings', 'userLabels', 'environment'],
  ['metadata', 'labels', 'edgeplane.dev/environment'],
];

/** A provider input that the SDK sends JSON-encoded (objects in provider config), or as an object. */
export function providerObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string' && !isUnknown(value)) {
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The tags (AWS) or labels (GCP) a resource's provider puts on everything it creates. */
export function providerDefaultLabels(
  provider: ResourceValidationArgs['provider'],
): Record<string, unknown> {
  if (!provider) return {};
  const awsTags = read(providerObject(read(provider.props, 'defaultTags')), 'tags');
  const gcpLabels = providerObject(read(provider.props, 'defaultLabels'));
  return {
    ...(typeof awsTags === 'object' && awsTags !== null ? awsTags : {}),
    ...(gcpLabels ?? {}),
  };
}

export type EnvironmentArgs = Pick<
  ResourceValidationArgs,
  'props' | 'provider' | 'stackTags' | 'getConfig'
>;

export function environmentOf(args: EnvironmentArgs): Environment | undefined {
  const configured = args.getConfig<{ environment?: unknown }>().environment;
  if (isEnvironment(configured)) return configured;
  for (const path of ownEnvironmentPaths) {
    const value = read(args.props, path);
    if (isEnvironment(value)) return value;
  }
  const defaults = providerDefaultLabels(args.provider);
  for (const key of ['edgeplane:environment', 'environment']) {
    if (isEnvironment(defaults[key])) return defaults[key];
  }
  for (const key of ['edgeplane:environment', 'environment']) {
    const tagged = args.stackTags?.get(key);
    if (isEnvironment(tagged)) return tagged;
  }
  return undefined;
}
