// The policy verdict of an offline plan: the whole pack (policies/all.ts) over the planned
// resources with the stack's policy config, violations grouped by enforcement level.

import type { PolicyPackConfig } from '@pulumi/policy';
import { allPolicies, packEnforcementLevel } from '../policies/all.ts';
import { evaluatePolicies, type PolicyViolation } from '../policies/lib/evaluate.ts';
import { policyResourcesFromPlan } from '../policies/lib/from-plan.ts';
import { readPolicyConfig } from '../policies/lib/pack-config.ts';
import type { Plan } from '../test/harness/pulumi/plan.ts';

export interface PolicyVerdict {
  /** The policy config file used, relative to the project root; undefined when the stack has none. */
  config?: string;
  policies: number;
  mandatory: PolicyViolation[];
  advisory: PolicyViolation[];
  /** true when no mandatory violation. */
  passed: boolean;
}

export interface StackPolicyConfig {
  path?: string;
  config: PolicyPackConfig;
}

/** The stack's policy config (policies/config/<stack>.json), checked; read it before planning. */
export function stackPolicyConfig(stack: string, root: string): StackPolicyConfig {
  return readPolicyConfig(stack, allPolicies, root);
}

export async function policyVerdict(
  plan: Plan,
  { path, config }: StackPolicyConfig,
): Promise<PolicyVerdict> {
  const violations = await evaluatePolicies(allPolicies, policyResourcesFromPlan(plan.resources), {
    config,
    packEnforcementLevel,
  });
  const order = (a: PolicyViolation, b: PolicyViolation) =>
    a.policyName.localeCompare(b.policyName) || (a.urn ?? '').localeCompare(b.urn ?? '');
  const mandatory = violations.filter((v) => v.enforcementLevel === 'mandatory').sort(order);
  const advisory = violations.filter((v) => v.enforcementLevel === 'advisory').sort(order);
  return {
    ...(path ? { config: path } : {}),
    policies: allPolicies.length,
    mandatory,
    advisory,
    passed: mandatory.length === 0,
  };
}

export function renderVerdict(verdict: PolicyVerdict): string[] {
  const lines = [
    `Policy verdict: ${verdict.passed ? 'PASSED' : 'FAILED'} (${verdict.policies} policies of the edgeplane pack; config ${verdict.config ?? 'none: every policy at its default'})`,
  ];
  for (const [level, violations] of [
    ['mandatory', verdict.mandatory],
    ['advisory', verdict.advisory],
  ] as const) {
    lines.push(`  ${level}: ${violations.length}`);
    for (const violation of violations) {
      const where = violation.resourceType
        ? `${violation.resourceType}  ${violation.resourceName}`
        : 'the stack';
      lines.push(`    [${violation.policyName}] ${where}`, `        ${violation.message}`);
    }
  }
  return lines;
}
