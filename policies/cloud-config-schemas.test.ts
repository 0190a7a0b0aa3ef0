// The cloud policies' configSchemas are valid JSON Schema, their defaults satisfy them, and a wrong
// setting is refused: the Pulumi CLI validates a stack's --policy-pack-config against them before
// the pack runs. (ajv is here through fastify and kubernetes-models, not a direct dependency.)
import { Ajv } from 'ajv';
import { cloudPolicies } from './cloud.ts';

const ajv = new Ajv({ strict: true, allErrors: true });

function validatorOf(name: string) {
  const policy = cloudPolicies.find((candidate) => candidate.name === name);
  if (!policy?.configSchema) throw new Error(`${name} has no configSchema`);
  // Settings a policy does not know are refused here (as the offline plan's config check does).
  return ajv.compile({ type: 'object', ...policy.configSchema, additionalProperties: false });
}

const configurable = cloudPolicies
  .filter((policy) => policy.configSchema)
  .map((policy) => policy.name);

describe('cloud policy config schemas', () => {
  it.each(configurable)('%s: compiles, and its defaults are valid settings', (name) => {
    const validate = validatorOf(name);
    const policy = cloudPolicies.find((candidate) => candidate.name === name);
    const defaults = Object.fromEntries(
      Object.entries(policy?.configSchema?.properties ?? {})
        .filter(([, schema]) => schema.default !== undefined)
        .map(([key, schema]) => [key, schema.default]),
    );
    expect(validate({})).toBe(true);
    expect(validate(defaults)).toBe(true);
    // Not an environment where the policy takes one; not a setting where it does not.
    expect(validate({ environment: 'qa' })).toBe(false);
  });

  it('refuses wrong settings, naming where', () => {
    const classes = validatorOf('allowed-instance-classes');
    expect(classes({ prod: { rdsInstanceClasses: ['db.m7g.*'] } })).toBe(true);
    expect(classes({ dev: { rdsInstanceClasses: 'db.t4g.micro' } })).toBe(false);
    expect(classes.errors?.[0]?.instancePath).toBe('/dev/rdsInstanceClasses');
    expect(classes({ dev: { rdsInstanceClass: ['db.t4g.micro'] } })).toBe(false);
    expect(classes({ prod: { memorystoreTiers: ['PREMIUM'] } })).toBe(false);

    const backups = validatorOf('database-backups');
    expect(backups({ minRetentionDays: { prod: 14 } })).toBe(true);
    expect(backups({ minRetentionDays: { prod: -1 } })).toBe(false);
    expect(backups({ minRetentionDays: { qa: 1 } })).toBe(false);

    const logging = validatorOf('eks-control-plane-logging');
    expect(logging({ requiredLogTypes: ['audit', 'kubelet'] })).toBe(false);
  });
});
