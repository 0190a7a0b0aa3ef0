// The whole pack over every example stack's offline plan, with the stack's policy config: zero
// mandatory violations (the same verdict `npm run plan -- <stack>` prints and CI requires).
import { exampleStackNames, projectRoot } from '../test/harness/pulumi/index.ts';
import { allPolicies, packEnforcementLevel } from './all.ts';
import { evaluatePolicies } from './lib/evaluate.ts';
import { readPolicyConfig } from './lib/pack-config.ts';
import { plannedResources } from './lib/testing.ts';

describe.each(exampleStackNames())('the edgeplane pack on %s', (stack) => {
  it('finds no mandatory violation', async () => {
    const { config } = readPolicyConfig(stack, allPolicies, projectRoot());
    const violations = await evaluatePolicies(allPolicies, await plannedResources(stack), {
      config,
      packEnforcementLevel,
    });
    const mandatory = violations
      .filter((violation) => violation.enforcementLevel === 'mandatory')
      .map((violation) => `${violation.policyName}: ${violation.message}`);
    expect(mandatory).toEqual([]);
  });
});
