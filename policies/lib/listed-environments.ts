// Policies that apply in some environments only: their config key `environments` and the
// environment of a resource when it is one of those (prod's rules when nothing says which).
import {
  type ConfigPropertySchema,
  type Environment,
  type EnvironmentArgs,
  environmentOf,
  environments,
} from './environment.ts';

/** The `environments` key of a policy's configSchema. */
export function environmentsConfigProperty(
  defaults: Environment[],
  description: string,
): ConfigPropertySchema {
  return {
    type: 'array',
    items: { type: 'string', enum: [...environments] },
    default: defaults,
    description,
  };
}

/** The resource's environment when the policy's config `environments` (or `defaults`) lists it. */
export function listedEnvironment(
  args: EnvironmentArgs,
  defaults: readonly Environment[],
): Environment | undefined {
  const environment = environmentOf(args) ?? 'prod';
  const listed = args.getConfig<{ environments?: Environment[] }>().environments ?? defaults;
  return listed.includes(environment) ? environment : undefined;
}
