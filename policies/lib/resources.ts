// The resources policies look at, in the shape the engine hands them to a policy pack: flat records
// (parent and dependencies as URNs) that policyResources() links into @pulumi/policy's
// PolicyResource objects (parent and dependencies as objects), as the pack's server does.
import type { PolicyProviderResource, PolicyResource, PolicyResourceOptions } from '@pulumi/policy';
import { unknownCheckingProxy } from '@pulumi/policy';

export interface PolicyResourceInput {
  type: string;
  name: string;
  urn: string;
  /** Inputs for resource policies (outputs under a real `pulumi up`); secrets appear as plain values. */
  props: Record<string, unknown>;
  opts?: Partial<PolicyResourceOptions>;
  /** The provider the resource is created with; a default provider is named `default` or `default_<version>`. */
  provider?: PolicyProviderResource;
  /** URN of the parent. */
  parent?: string;
  /** URNs of the resources this one depends on. */
  dependencies?: string[];
  /** URNs each property depends on. */
  propertyDependencies?: Record<string, string[]>;
}

/** Whether a provider is the one the engine creates for resources that name none. */
export function isDefaultProvider(provider: Pick<PolicyProviderResource, 'name'>): boolean {
  return provider.name === 'default' || provider.name.startsWith('default_');
}

/** What `isType`/`asType` answer: the class's Pulumi type token decides, else its isInstance. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const klass = resourceClass as {
    __pulumiType?: string;
    isInstance?: (value: unknown) => boolean;
  };
  if (typeof klass.__pulumiType === 'string') return klass.__pulumiType === type;
  return typeof klass.isInstance === 'function' && klass.isInstance({ __pulumiType: type });
}

/** Links flat records into PolicyResource objects; props sit behind the unknown-checking proxy. */
export function policyResources(inputs: readonly PolicyResourceInput[]): PolicyResource[] {
  const built = inputs.map((input) => {
    const props = unknownCheckingProxy(copyProps(input.props));
    const resource: PolicyResource = {
      type: input.type,
      name: input.name,
      urn: input.urn,
      props,
      opts: policyResourceOptions(input),
      ...(input.provider ? { provider: input.provider } : {}),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(input.type, resourceClass),
      // asType's result type is chosen by the caller's class; at run time it is the props.
      asType: ((resourceClass: unknown) =>
        isTypeOf(input.type, resourceClass)
          ? props
          : undefined) as unknown as PolicyResource['asType'],
    };
    return resource;
  });
  const byUrn = new Map(built.map((resource) => [resource.urn, resource]));
  const linked = (urns: readonly string[] | undefined) =>
    (urns ?? [])
      .map((urn) => byUrn.get(urn))
      .filter((resource): resource is PolicyResource => resource !== undefined);
  inputs.forEach((input, index) => {
    const resource = built[index] as PolicyResource;
    const parent = input.parent ? byUrn.get(input.parent) : undefined;
    if (parent) resource.parent = parent;
    resource.dependencies = linked(input.dependencies);
    resource.propertyDependencies = Object.fromEntries(
      Object.entries(input.propertyDependencies ?? {}).map(([key, urns]) => [key, linked(urns)]),
    );
  });
  return built;
}

/** The resource options a policy sees; what a record leaves out gets the engine's default. */
export function policyResourceOptions(input: PolicyResourceInput): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...input.opts,
    ...(input.parent ? { parent: input.parent } : {}),
  };
}

/**
 * A fresh copy of props per policy call, as the engine deserializes them per call. Plain objects and
 * arrays are rebuilt here rather than by structuredClone, whose objects come from the host realm and
 * fail the proxy's `instanceof Object` test inside jest's VM context.
 */
export function copyProps<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyProps) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, copyProps(inner)]),
    ) as T;
  }
  return value;
}

/** A plain object of any realm (its prototype is some realm's Object.prototype, or null). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
