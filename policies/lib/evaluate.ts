// Runs policies over resources the way the Pulumi engine's analyzer does (@pulumi/policy's
// server.js), without starting the pack's gRPC server: the enforcement level from the pack config,
// the policy's default or the pack's; config defaults from the policy's configSchema; props behind
// @pulumi/policy's unknown-checking proxy (reading a value unknown during preview yields an
// advisory "can't run during preview" verdict, as in `pulumi preview`); notApplicable() ends the
// policy for that resource quietly; any other throw fails the evaluation, naming the policy.
import {
  type EnforcementLevel,
  type Policies,
  type PolicyPackConfig,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
  UnknownValueError,
  unknownCheckingProxy,
} from '@pulumi/policy';
import {
  copyProps,
  isTypeOf,
  type PolicyResourceInput,
  policyResourceOptions,
  policyResources,
} from './resources.ts';

/** The levels a violation is reported at: `remediate` reports as mandatory, `disabled` never runs. */
export type ReportedLevel = 'mandatory' | 'advisory';

export interface PolicyViolation {
  policyName: string;
  enforcementLevel: ReportedLevel;
  message: string;
  /** The resource in violation; undefined when a stack policy blames the whole stack. */
  urn?: string;
  resourceType?: string;
  resourceName?: string;
}

type Policy = ResourceValidationPolicy | StackValidationPolicy;
/** One policy's entry in a pack config: a bare level or an object of settings. */
export type PolicyConfigEntry = PolicyPackConfig[string];

/** The pack-wide default level; @pulumi/policy's PolicyPack uses `advisory` when none is given. */
export const defaultPackEnforcementLevel: EnforcementLevel = 'advisory';

export interface EvaluateOptions {
  /** The pack config (`--policy-pack-config` file): per policy a level or settings. */
  config?: PolicyPackConfig;
  packEnforcementLevel?: EnforcementLevel;
}

class NotApplicableError extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

export function isStackPolicy(policy: Policy): policy is StackValidationPolicy {
  return typeof (policy as StackValidationPolicy).validateStack === 'function';
}

/** The level a policy runs at under a pack config. */
export function enforcementLevelOf(
  policy: Policy,
  entry: PolicyConfigEntry | undefined,
  packLevel: EnforcementLevel = defaultPackEnforcementLevel,
): EnforcementLevel {
  const configured = typeof entry === 'string' ? entry : entry?.enforcementLevel;
  return configured ?? policy.enforcementLevel ?? packLevel;
}

/** The settings a policy's getConfig() returns: the entry without its level, over schema defaults. */
export function settingsOf(policy: Policy, entry: PolicyConfigEntry | undefined): object {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {})
      .filter(([, schema]) => schema.default !== undefined)
      .map(([key, schema]) => [key, schema.default]),
  );
  if (typeof entry !== 'object' || entry === null) return defaults;
  const { enforcementLevel: _level, ...settings } = entry;
  return { ...defaults, ...settings };
}

function reportedLevel(level: EnforcementLevel): ReportedLevel {
  return level === 'advisory' ? 'advisory' : 'mandatory';
}

// The engine's verdict when a policy reads a value that is unknown during preview.
function unknownVerdict(policy: Policy, error: UnknownValueError, urn?: string): PolicyViolation {
  return {
    policyName: policy.name,
    enforcementLevel: 'advisory',
    message: `can't run policy '${policy.name}' during preview: ${error.message}`,
    ...(urn ? { urn } : {}),
  };
}

function failure(policy: Policy, subject: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`policy '${policy.name}' failed on ${subject}: ${reason}`, { cause: error });
}

/** Runs one resource policy over one resource; returns its violations (none when disabled). */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: PolicyResourceInput,
  options: EvaluateOptions = {},
): Promise<PolicyViolation[]> {
  const entry = options.config?.[policy.name];
  const level = enforcementLevelOf(policy, entry, options.packEnforcementLevel);
  if (level === 'disabled' || !policy.validateResource) return [];
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource];
  const violations: PolicyViolation[] = [];
  const report = (message: string) =>
    violations.push({
      policyName: policy.name,
      enforcementLevel: reportedLevel(level),
      message,
      urn: resource.urn,
    });
  for (const validate of validations) {
    // Fresh props per validation, as the engine deserializes them per call.
    const props = unknownCheckingProxy(copyProps(resource.props));
    const args: ResourceValidationArgs = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: policyResourceOptions(resource),
      ...(resource.provider ? { provider: resource.provider } : {}),
      stackTags: new Map(),
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      // asType's result type is chosen by the caller's class; at run time it is the props.
      asType: ((resourceClass: unknown) =>
        isTypeOf(resource.type, resourceClass)
          ? props
          : undefined) as unknown as ResourceValidationArgs['asType'],
      getConfig: <T extends object>() => settingsOf(policy, entry) as T,
      notApplicable,
    };
    try {
      await validate(args, report);
    } catch (error) {
      if (error instanceof UnknownValueError)
        violations.push(unknownVerdict(policy, error, resource.urn));
      else if (!(error instanceof NotApplicableError)) throw failure(policy, resource.urn, error);
    }
  }
  return violations;
}

/** Runs one stack policy over all resources; returns its violations (none when disabled). */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: readonly PolicyResourceInput[],
  options: EvaluateOptions = {},
): Promise<PolicyViolation[]> {
  const entry = options.config?.[policy.name];
  const level = enforcementLevelOf(policy, entry, options.packEnforcementLevel);
  if (level === 'disabled') return [];
  const violations: PolicyViolation[] = [];
  const report = (message: string, urn?: string) =>
    violations.push({
      policyName: policy.name,
      enforcementLevel: reportedLevel(level),
      message,
      ...(urn ? { urn } : {}),
    });
  const args: StackValidationArgs = {
    resources: policyResources(resources),
    stackTags: new Map(),
    getConfig: <T extends object>() => settingsOf(policy, entry) as T,
    notApplicable,
  };
  try {
    await policy.validateStack(args, report);
  } catch (error) {
    if (error instanceof UnknownValueError) violations.push(unknownVerdict(policy, error));
    else if (!(error instanceof NotApplicableError)) throw failure(policy, 'the stack', error);
  }
  return violations;
}

/**
 * Runs every policy of a pack over a stack's resources, as `pulumi preview --policy-pack` does:
 * resource policies per resource, stack policies once. Violations carry the resource's type and name.
 */
export async function evaluatePolicies(
  policies: Policies,
  resources: readonly PolicyResourceInput[],
  options: EvaluateOptions = {},
): Promise<PolicyViolation[]> {
  const violations: PolicyViolation[] = [];
  for (const policy of policies) {
    if (isStackPolicy(policy)) {
      violations.push(...(await runStackPolicy(policy, resources, options)));
    } else {
      for (const resource of resources) {
        violations.push(...(await runResourcePolicy(policy, resource, options)));
      }
    }
  }
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  return violations.map((violation) => {
    const resource = violation.urn ? byUrn.get(violation.urn) : undefined;
    return resource
      ? { ...violation, resourceType: resource.type, resourceName: resource.name }
      : violation;
  });
}
