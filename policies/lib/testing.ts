// Test helpers for policies: run one policy over a hand-built resource, over a list of them, or over
// the resources an example stack's offline plan records, and get the violations back. Nothing here
// starts the pack's server; a test imports the policy's own module.
import type {
  PolicyPackConfig,
  PolicyProviderResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import { planStack } from '../../test/harness/pulumi/plan.ts';
import {
  type EvaluateOptions,
  isStackPolicy,
  type PolicyConfigEntry,
  type PolicyViolation,
  runResourcePolicy,
  runStackPolicy,
} from './evaluate.ts';
import { policyResourcesFromPlan } from './from-plan.ts';
import type { PolicyResourceInput } from './resources.ts';

/** What the engine passes for a value unknown during preview (the SDK's wire sentinel). */
export const unknownValue = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

let counter = 0;

/**
 * A hand-built resource: `resource('kubernetes:apps/v1:Deployment', { spec: ... })`. URN and name
 * are made up unless given; `extra` sets opts, provider, parent, dependencies.
 */
export function resource(
  type: string,
  props: Record<string, unknown>,
  extra: Partial<Omit<PolicyResourceInput, 'type' | 'props'>> = {},
): PolicyResourceInput {
  counter += 1;
  const name = extra.name ?? `test-${counter}`;
  return {
    type,
    props,
    name,
    urn: extra.urn ?? `urn:pulumi:test::edgeplane::${type}::${name}`,
    ...extra,
  };
}

/** A provider as the engine describes it; `provider('aws', 'default_7_48_0')` is a default one. */
export function provider(pkg: string, name: string, props: Record<string, unknown> = {}) {
  const type = `pulumi:providers:${pkg}`;
  return {
    type,
    name,
    urn: `urn:pulumi:test::edgeplane::${type}::${name}`,
    props,
  } satisfies PolicyProviderResource;
}

function optionsFor(policyName: string, config?: PolicyConfigEntry): EvaluateOptions {
  return config === undefined ? {} : { config: { [policyName]: config } as PolicyPackConfig };
}

/** Violations of one resource policy on one resource; `config` is the policy's pack-config entry. */
export function violationsOf(
  policy: ResourceValidationPolicy,
  subject: PolicyResourceInput,
  config?: PolicyConfigEntry,
): Promise<PolicyViolation[]> {
  return runResourcePolicy(policy, subject, optionsFor(policy.name, config));
}

/** Violations of one stack policy over a list of resources. */
export function stackViolationsOf(
  policy: StackValidationPolicy,
  resources: readonly PolicyResourceInput[],
  config?: PolicyConfigEntry,
): Promise<PolicyViolation[]> {
  return runStackPolicy(policy, resources, optionsFor(policy.name, config));
}

/** Violations of one policy (resource or stack) over a list of resources. */
export async function violationsIn(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: readonly PolicyResourceInput[],
  config?: PolicyConfigEntry,
): Promise<PolicyViolation[]> {
  if (isStackPolicy(policy)) return stackViolationsOf(policy, resources, config);
  const found: PolicyViolation[] = [];
  for (const subject of resources) found.push(...(await violationsOf(policy, subject, config)));
  return found;
}

// Plans share the SDK's global mock state, so one runs at a time; each stack is planned once per
// test file.
let planQueue: Promise<unknown> = Promise.resolve();
const planned = new Map<string, Promise<PolicyResourceInput[]>>();

/** The resources the offline plan of an example stack (`Pulumi.<stack>.yaml`) records, as policies see them. */
export function plannedResources(stack: string): Promise<PolicyResourceInput[]> {
  let resources = planned.get(stack);
  if (!resources) {
    resources = planQueue.then(async () =>
      policyResourcesFromPlan((await planStack(stack)).resources),
    );
    planQueue = resources.catch(() => undefined);
    planned.set(stack, resources);
  }
  return resources;
}

/** Violations of one policy over an example stack's planned resources. */
export async function violationsInPlan(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  stack: string,
  config?: PolicyConfigEntry,
): Promise<PolicyViolation[]> {
  return violationsIn(policy, await plannedResources(stack), config);
}
