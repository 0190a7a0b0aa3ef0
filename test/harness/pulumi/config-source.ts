// Stack config as the program reads it (a ConfigSource), built in tests from a plain map or from
// an example stack's Pulumi.<stack>.yaml with changes, instead of from a running Pulumi engine.
import * as pulumi from '@pulumi/pulumi';
import type { ConfigSource } from '../../../stacks/config.ts';
import { placeholderSecrets } from './placeholder-secrets.ts';
import { readStackConfig } from './stack-files.ts';

/** A config source over a plain map, as Pulumi would hand it over; secrets wrapped like requireSecret. */
export function mapConfigSource(
  values: Record<string, string>,
  secretKeys: readonly string[] = [],
  stack = 'test',
): ConfigSource {
  return {
    stack,
    values,
    isSecret: (key) => secretKeys.includes(key),
    secret: (key) => pulumi.secret(values[`edgeplane:${key}`] as string),
  };
}

export interface ExampleStackOptions {
  /** Values of the secret keys (placeholders by default). */
  secrets?: Readonly<Record<string, string>>;
  /** Secret keys presented as plain values, as if set without --secret. */
  plainKeys?: readonly string[];
}

/** An example stack with changes; `undefined` removes a key, objects replace the structured value. */
export function exampleStackWith(
  stack: string,
  changes: Record<string, unknown> = {},
  options: ExampleStackOptions = {},
): ConfigSource {
  const { values, secretKeys } = readStackConfig(stack, options.secrets ?? placeholderSecrets);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete values[`edgeplane:${key}`];
    else values[`edgeplane:${key}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const plainKeys = options.plainKeys ?? [];
  return mapConfigSource(
    values,
    secretKeys.filter((key) => !plainKeys.includes(key)),
    stack,
  );
}
