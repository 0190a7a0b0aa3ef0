// Policy settings given per environment (`{ dev, staging, prod }`): the configured values over the
// policy's defaults key by key, so a pack config that sets only `prod` keeps the others' defaults.
import { type ConfigPropertySchema, type Environment, environments } from './environment.ts';

export type PerEnvironment<T> = Record<Environment, T>;

export function perEnvironmentSchema<T>(
  valueSchema: ConfigPropertySchema,
  defaults: PerEnvironment<T>,
  description: string,
): ConfigPropertySchema {
  return {
    type: 'object',
    description,
    properties: Object.fromEntries(environments.map((env) => [env, valueSchema])),
    additionalProperties: false,
    default: defaults,
  };
}

export function settingFor<T>(
  configured: Partial<PerEnvironment<T>> | undefined,
  defaults: PerEnvironment<T>,
  environment: Environment,
): T {
  return configured?.[environment] ?? defaults[environment];
}
