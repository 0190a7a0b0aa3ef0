// Policies that require keys on a resource (AWS tags, GCP labels, Kubernetes labels): the config
// key listing them and which of them a resource lacks.
import type { ResourceValidationArgs } from '@pulumi/policy';
import type { ConfigPropertySchema } from './environment.ts';

/** The configSchema property of a list of required keys (`requiredTags`, `requiredLabels`). */
export function requiredKeysConfigProperty(
  defaults: string[],
  description: string,
): ConfigPropertySchema {
  return { type: 'array', items: { type: 'string', minLength: 1 }, default: defaults, description };
}

/** The configured keys under `configKey` that are not in `present`, in configured order. */
export function missingKeys(
  args: Pick<ResourceValidationArgs, 'getConfig'>,
  configKey: string,
  defaults: string[],
  present: Iterable<string>,
): string[] {
  const required = args.getConfig<Record<string, string[] | undefined>>()[configKey] ?? defaults;
  const have = new Set(present);
  return required.filter((key) => !have.has(key));
}
