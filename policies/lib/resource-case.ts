// The cloud policies' test cases in one line each: a hand-built resource named `subject`, and the
// `level: message` of every violation one policy reports on it (lib/testing.ts runs it as the engine
// would).
import type { ResourceValidationPolicy } from '@pulumi/policy';
import type { PolicyConfigEntry } from './evaluate.ts';
import type { PolicyResourceInput } from './resources.ts';
import { resource, unknownValue, violationsOf } from './testing.ts';

/** What the engine sends for a value that is unknown during preview (all types alike). */
export const unknownDuringPreview = unknownValue;

export function resourceOf(
  type: string,
  props: Record<string, unknown>,
  extra: Partial<Omit<PolicyResourceInput, 'type' | 'props'>> = {},
): PolicyResourceInput {
  return resource(type, props, { name: 'subject', ...extra });
}

export async function verdicts(
  policy: ResourceValidationPolicy,
  subject: PolicyResourceInput,
  config?: PolicyConfigEntry,
): Promise<string[]> {
  const violations = await violationsOf(policy, subject, config);
  return violations.map((violation) => `${violation.enforcementLevel}: ${violation.message}`);
}
