// The cloud policies over the example stacks planned as prod: no mandatory violation. The stacks as
// they are (with the whole pack) are policies/example-stacks.test.ts's; planning the non-prod ones as
// prod (environment override) runs the prod-only policies over the GCP and k3s compositions too,
// not only over aws-prod.
import { placeholderSecrets } from '../test/harness/pulumi/placeholder-secrets.ts';
import { planStack } from '../test/harness/pulumi/plan.ts';
import { exampleStackNames, readStackConfig } from '../test/harness/pulumi/stack-files.ts';
import { cloudPolicies } from './cloud.ts';
import { aws } from './lib/cloud-types.ts';
import { evaluatePolicies, type PolicyViolation } from './lib/evaluate.ts';
import { policyResourcesFromPlan } from './lib/from-plan.ts';
import type { PolicyResourceInput } from './lib/resources.ts';

const describeViolation = (violation: PolicyViolation) =>
  `${violation.enforcementLevel} ${violation.policyName} ${violation.resourceType} ${violation.resourceName}: ${violation.message}`;

const isProd = (stack: string) =>
  readStackConfig(stack, placeholderSecrets).values['edgeplane:environment'] === 'prod';

const variants = exampleStackNames().map((stack) =>
  isProd(stack)
    ? { stack, overrides: {} as Record<string, string>, label: stack }
    : { stack, overrides: { 'edgeplane:environment': 'prod' }, label: `${stack} as prod` },
);

const planned = new Map<string, PolicyResourceInput[]>();
const plannedResources = (label: string) => planned.get(label) ?? [];

beforeAll(async () => {
  // One plan at a time: plans share the SDK's global mock state.
  for (const variant of variants) {
    const plan = await planStack(variant.stack, { overrides: variant.overrides });
    planned.set(variant.label, policyResourcesFromPlan(plan.resources));
  }
}, 120_000);

describe.each(variants.map((variant) => variant.label))('cloud policies over %s', (label) => {
  it('find no mandatory violation', async () => {
    const resources = plannedResources(label);
    expect(resources.length).toBeGreaterThan(50);
    const violations = await evaluatePolicies(cloudPolicies, resources);
    const mandatory = violations.filter((violation) => violation.enforcementLevel === 'mandatory');
    expect(mandatory.map(describeViolation)).toEqual([]);
  });
});

describe('cloud policies over a planned stack', () => {
  it('see the planned inputs, options and provider: a weakened RDS instance fails', async () => {
    const rds = plannedResources('aws-prod').find((resource) => resource.type === aws.rdsInstance);
    if (!rds?.provider) throw new Error('aws-prod plans an RDS instance on an explicit provider');
    // Without its own tags, the instance's environment comes from its provider's default tags.
    const { tags: _tags, ...untagged } = rds.props;
    const weakened: PolicyResourceInput = {
      ...rds,
      props: { ...untagged, storageEncrypted: false, deletionProtection: false },
      opts: { ...rds.opts, protect: false },
    };
    const violations = await evaluatePolicies(cloudPolicies, [weakened]);
    expect(violations.map((violation) => violation.policyName).sort()).toEqual([
      'data-store-encryption',
      'prod-deletion-protection',
      'prod-protect',
    ]);

    // The same instance on a provider whose default tags say dev: the prod-only policies stand down.
    const defaultTags = JSON.parse(String(rds.provider.props.defaultTags)) as {
      tags: Record<string, string>;
    };
    defaultTags.tags['edgeplane:environment'] = 'dev';
    const onDevProvider: PolicyResourceInput = {
      ...weakened,
      provider: {
        ...rds.provider,
        props: { ...rds.provider.props, defaultTags: JSON.stringify(defaultTags) },
      },
    };
    // Left: encryption, and a class that is approved for prod but not for dev.
    const devViolations = await evaluatePolicies(cloudPolicies, [onDevProvider]);
    expect(devViolations.map((violation) => violation.policyName).sort()).toEqual([
      'allowed-instance-classes',
      'data-store-encryption',
    ]);
  });
});
