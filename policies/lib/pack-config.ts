// Per-stack policy config: policies/config/<stack>.json, the file `pulumi preview --policy-pack
// policies --policy-pack-config policies/config/<stack>.json` reads in CI, read here for the offline
// plan. Checked before any policy runs: an unknown policy, level or setting fails with its key.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policies, PolicyPackConfig } from '@pulumi/policy';

export class PolicyConfigError extends Error {}

const levels = ['advisory', 'mandatory', 'remediate', 'disabled'];

/** The config file of a stack, relative to the project root. */
export function policyConfigPath(stack: string): string {
  return join('policies', 'config', `${stack}.json`);
}

export function checkPolicyConfig(
  config: unknown,
  policies: Policies,
  source: string,
): PolicyPackConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new PolicyConfigError(
      `${source}: must be a JSON object of policy name -> level or settings`,
    );
  }
  const names = policies.map((policy) => policy.name);
  for (const [name, entry] of Object.entries(config)) {
    const policy = policies.find((candidate) => candidate.name === name);
    if (!policy) {
      throw new PolicyConfigError(
        `${source}: no policy named "${name}" in the pack (have ${names.join(', ')})`,
      );
    }
    const level =
      typeof entry === 'string'
        ? entry
        : (entry as { enforcementLevel?: unknown })?.enforcementLevel;
    if (level !== undefined && !levels.includes(level as string)) {
      throw new PolicyConfigError(
        `${source}: ${name}: enforcementLevel must be one of ${levels.join(', ')} (got ${JSON.stringify(level)}); e.g. {"${name}": "advisory"}`,
      );
    }
    if (typeof entry === 'object' && entry !== null) {
      const known = Object.keys(policy.configSchema?.properties ?? {});
      for (const [key, value] of Object.entries(entry)) {
        if (key === 'enforcementLevel') continue;
        if (!known.includes(key)) {
          throw new PolicyConfigError(
            `${source}: ${name}.${key}: not a setting of ${name} (settings: ${known.join(', ') || 'none'})`,
          );
        }
        const type = policy.configSchema?.properties[key]?.type;
        const actual = Array.isArray(value)
          ? 'array'
          : typeof value === 'number' && Number.isInteger(value)
            ? 'integer'
            : typeof value;
        const fits =
          type === undefined || type === actual || (type === 'number' && actual === 'integer');
        if (!fits) {
          throw new PolicyConfigError(
            `${source}: ${name}.${key}: must be of type ${String(type)} (got ${actual})`,
          );
        }
      }
    } else if (typeof entry !== 'string') {
      throw new PolicyConfigError(
        `${source}: ${name}: must be a level string or an object of settings`,
      );
    }
  }
  return config as PolicyPackConfig;
}

/** The stack's policy config, checked; an empty config when the stack has no file. */
export function readPolicyConfig(
  stack: string,
  policies: Policies,
  root: string,
): { path?: string; config: PolicyPackConfig } {
  const path = policyConfigPath(stack);
  if (!existsSync(join(root, path))) return { config: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(root, path), 'utf8'));
  } catch (error) {
    throw new PolicyConfigError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  return { path, config: checkPolicyConfig(parsed, policies, path) };
}
