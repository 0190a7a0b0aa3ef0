// Reads an example stack's Pulumi.<stack>.yaml into the flat config map Pulumi hands a program:
// `namespace:key` -> string, structured values as JSON text. Encrypted (`secure:`) values cannot be
// decrypted without the Pulumi CLI, so the caller provides secret values (placeholders by default).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** The folder holding Pulumi.yaml, found from the working directory upwards. */
export function projectRoot(from = process.cwd()): string {
  let dir = from;
  while (!existsSync(join(dir, 'Pulumi.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Pulumi.yaml in ${from} or above`);
    dir = parent;
  }
  return dir;
}

/** Names of the example stacks: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function exampleStackNames(root = projectRoot()): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

export interface StackConfigValues {
  values: Record<string, string>;
  /** Full keys whose values are secret. */
  secretKeys: string[];
}

/**
 * Reads Pulumi.<stack>.yaml. Secure values are replaced by `secrets[key]`; a secret the file does
 * not set is added from `secrets` too, as if set with `pulumi config set --secret`.
 */
export function readStackConfig(
  stack: string,
  secrets: Readonly<Record<string, string>>,
  root = projectRoot(),
): StackConfigValues {
  const path = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) {
    throw new Error(
      `no example stack ${stack}: ${path} does not exist (have ${exampleStackNames(root).join(', ')})`,
    );
  }
  const file = (parse(readFileSync(path, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [fullKey, value] of Object.entries(file.config ?? {})) {
    if (isSecure(value)) {
      const plain = secrets[fullKey];
      if (plain === undefined) throw new Error(`${path}: no value given for secret ${fullKey}`);
      values[fullKey] = plain;
      secretKeys.push(fullKey);
    } else {
      values[fullKey] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  for (const [fullKey, plain] of Object.entries(secrets)) {
    if (fullKey in values) continue;
    values[fullKey] = plain;
    secretKeys.push(fullKey);
  }
  return { values, secretKeys };
}

function isSecure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value;
}
