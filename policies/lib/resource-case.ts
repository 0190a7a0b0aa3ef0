// Test helpers for single-resource policy cases: a hand-built resource and the violations one policy
// reports on it, run the way the engine runs them (lib/evaluate.ts).
import type { PolicyPackConfig, ResourceValidationPolicy } from '@pulumi/policy';
import { runResourcePolicy } from './evaluate.ts';
import type { PolicyResourceInput } from './resources.ts';

/** What the engine sends for a value that is unknown during preview (all types alike). */
export const unknownDuringPreview = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export function resourceOf(
  type: string,
  props: Record<string, unknown>,
  extra: Partial<PolicyResourceInput> = {},
): PolicyResourceInput {
  const name = extra.name ?? 'subject';
  return { type, name, urn: `urn:pulumi:test::edgeplane::${type}::${name}`, props, ...extra };
}

/** `level: message` of every violation the policy reports on the resource. */
export async function verdicts(
  policy: ResourceValidationPolicy,
  resource: PolicyResourceInput,
  config?: PolicyPackConfig[string],
): Promise<string[]> {
  const options = config === undefined ? {} : { config: { [policy.name]: config } };
  const violations = await runResourcePolicy(policy, resource, options);
  return violations.map((violation) => `${violation.enforcementLevel}: ${violation.message}`);
}
