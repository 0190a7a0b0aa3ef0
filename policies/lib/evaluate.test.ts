// The evaluator behaves as the engine's analyzer does: levels, config, unknowns, notApplicable,
// linked stack resources.
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import * as random from '@pulumi/random';
import { evaluatePolicies, runResourcePolicy, runStackPolicy } from './evaluate.ts';
import { provider, resource, unknownValue } from './testing.ts';

const minimumLength: ResourceValidationPolicy = {
  name: 'password-length',
  description: 'Generated passwords are long enough.',
  enforcementLevel: 'mandatory',
  configSchema: { properties: { minimum: { type: 'integer', default: 20 } } },
  validateResource: validateResourceOfType(random.RandomPassword, (password, args, report) => {
    const { minimum } = args.getConfig<{ minimum: number }>();
    if (password.length < minimum) report(`length ${password.length} is below ${minimum}`);
  }),
};

const password = (length: unknown) =>
  resource('random:index/randomPassword:RandomPassword', { length }, { name: 'pw' });

describe('runResourcePolicy', () => {
  it('reports at the policy level with the schema default as config', async () => {
    expect(await runResourcePolicy(minimumLength, password(12))).toEqual([
      {
        policyName: 'password-length',
        enforcementLevel: 'mandatory',
        message: 'length 12 is below 20',
        urn: 'urn:pulumi:test::edgeplane::random:index/randomPassword:RandomPassword::pw',
      },
    ]);
    expect(await runResourcePolicy(minimumLength, password(24))).toEqual([]);
  });

  it('takes settings and level from the pack config; disabled runs nothing', async () => {
    const config = { 'password-length': { enforcementLevel: 'advisory' as const, minimum: 10 } };
    expect(await runResourcePolicy(minimumLength, password(12), { config })).toEqual([]);
    const [violation] = await runResourcePolicy(minimumLength, password(8), { config });
    expect(violation).toMatchObject({
      enforcementLevel: 'advisory',
      message: 'length 8 is below 10',
    });
    expect(
      await runResourcePolicy(minimumLength, password(8), {
        config: { 'password-length': 'disabled' },
      }),
    ).toEqual([]);
    const remediate = await runResourcePolicy(minimumLength, password(8), {
      config: { 'password-length': 'remediate' },
    });
    expect(remediate[0]?.enforcementLevel).toBe('mandatory');
  });

  it('skips other types (notApplicable) and reports unknown values as advisory, as in preview', async () => {
    expect(
      await runResourcePolicy(
        minimumLength,
        resource('random:index/randomString:RandomString', {}),
      ),
    ).toEqual([]);
    const [verdict, ...rest] = await runResourcePolicy(minimumLength, password(unknownValue));
    expect(rest).toEqual([]);
    expect(verdict).toMatchObject({ enforcementLevel: 'advisory', policyName: 'password-length' });
    expect(verdict?.message).toContain("can't run policy 'password-length' during preview");
  });

  it('fails with the policy name when a policy throws', async () => {
    const broken: ResourceValidationPolicy = {
      name: 'broken',
      description: 'Throws.',
      validateResource: (args) => {
        (args.props.missing as { deeper: string }).deeper;
      },
    };
    await expect(runResourcePolicy(broken, password(1))).rejects.toThrow(
      /policy 'broken' failed on urn:/,
    );
  });
});

describe('runStackPolicy', () => {
  const parentAndChild: StackValidationPolicy = {
    name: 'children-on-explicit-providers',
    description: 'Each child of a component names its provider.',
    enforcementLevel: 'advisory',
    validateStack: (args, report) => {
      for (const child of args.resources) {
        if (child.parent && child.provider?.name.startsWith('default')) {
          report(`${child.name} under ${child.parent.name} uses ${child.provider.urn}`, child.urn);
        }
      }
    },
  };

  it('links parents and dependencies and passes providers', async () => {
    const parent = resource('edgeplane:test:Parent', {}, { name: 'parent' });
    const onDefault = resource(
      'random:index/randomPassword:RandomPassword',
      {},
      {
        name: 'child',
        parent: parent.urn,
        provider: provider('random', 'default_4_21_2'),
      },
    );
    const onExplicit = resource(
      'random:index/randomPassword:RandomPassword',
      {},
      {
        name: 'other',
        parent: parent.urn,
        provider: provider('random', 'explicit'),
        dependencies: [onDefault.urn],
      },
    );
    const found = await runStackPolicy(parentAndChild, [parent, onDefault, onExplicit]);
    expect(found).toEqual([
      {
        policyName: 'children-on-explicit-providers',
        enforcementLevel: 'advisory',
        message:
          'child under parent uses urn:pulumi:test::edgeplane::pulumi:providers:random::default_4_21_2',
        urn: onDefault.urn,
      },
    ]);

    const seen: string[][] = [];
    await runStackPolicy(
      {
        name: 'look',
        description: 'Records dependencies.',
        validateStack: (args) => {
          for (const r of args.resources) seen.push(r.dependencies.map((d) => d.name));
        },
      },
      [parent, onDefault, onExplicit],
    );
    expect(seen).toEqual([[], [], ['child']]);
  });
});

describe('evaluatePolicies', () => {
  it('runs resource policies per resource and names the resource of each violation', async () => {
    const found = await evaluatePolicies([minimumLength], [password(3), password(30)]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      resourceType: 'random:index/randomPassword:RandomPassword',
      resourceName: 'pw',
    });
  });
});
