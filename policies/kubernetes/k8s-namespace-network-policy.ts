import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { read, readArray, readKeys, unknown } from '../lib/props.ts';

/** A NetworkPolicy selecting every pod of its namespace (empty podSelector). */
function selectsAllPods(policy: PolicyResource): boolean {
  const labels = readKeys(policy.props, 'spec.podSelector.matchLabels');
  const expressions = readArray(policy.props, 'spec.podSelector.matchExpressions');
  return (
    (labels === undefined || (Array.isArray(labels) && labels.length === 0)) &&
    (expressions === undefined || (Array.isArray(expressions) && expressions.length === 0))
  );
}

/** The directions a NetworkPolicy isolates; Kubernetes defaults to Ingress (+ Egress when egress rules exist). */
function isolatedDirections(policy: PolicyResource): string[] {
  const types = readArray(policy.props, 'spec.policyTypes');
  if (Array.isArray(types)) return types.filter((type): type is string => typeof type === 'string');
  return read(policy.props, 'spec.egress') === undefined ? ['Ingress'] : ['Ingress', 'Egress'];
}

/** Whether a policy denies a direction outright: it isolates it and allows nothing in it. */
function denies(policy: PolicyResource, direction: string): boolean {
  const rules = readArray(policy.props, direction === 'Ingress' ? 'spec.ingress' : 'spec.egress');
  const allowsNothing = rules === undefined || (Array.isArray(rules) && rules.length === 0);
  return allowsNothing && isolatedDirections(policy).includes(direction);
}

/**
 * Every namespace the stack creates has a default-deny NetworkPolicy: one that selects all its pods
 * and isolates ingress (and egress, with requireEgress), so only flows allowed by name get through.
 */
export const k8sNamespaceNetworkPolicy: StackValidationPolicy = {
  name: 'k8s-namespace-network-policy',
  description:
    'Every Namespace the stack creates holds a default-deny NetworkPolicy (empty podSelector, isolating Ingress; Egress too with requireEgress).',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      requireEgress: {
        type: 'boolean',
        default: false,
        description: 'Require the default-deny policy to isolate Egress as well as Ingress.',
      },
    },
  },
  validateStack: (args, report) => {
    // Defaults in code too: a pack served without the CLI's config gets {} from getConfig().
    const { requireEgress = false } = args.getConfig<{ requireEgress?: boolean }>();
    const wanted = requireEgress ? ['Ingress', 'Egress'] : ['Ingress'];
    const policies = args.resources.filter(
      (r) => r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
    );
    for (const namespace of args.resources.filter(
      (r) => r.type === 'kubernetes:core/v1:Namespace',
    )) {
      const name = read(namespace.props, 'metadata.name');
      if (typeof name !== 'string') continue; // auto-named or unknown: its policies cannot be matched by name
      const inNamespace = policies.filter(
        (policy) => read(policy.props, 'metadata.namespace') === name,
      );
      // A policy whose namespace is unknown during preview may be the one: do not guess.
      if (policies.some((policy) => read(policy.props, 'metadata.namespace') === unknown)) continue;
      const hasDefaultDeny = inNamespace.some(
        (policy) =>
          selectsAllPods(policy) && wanted.every((direction) => denies(policy, direction)),
      );
      if (!hasDefaultDeny) {
        report(
          `namespace ${name} has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [${wanted.join(', ')}])` +
            (inNamespace.length ? `; it has ${inNamespace.length} other NetworkPolicy(ies)` : ''),
          namespace.urn,
        );
      }
    }
  },
};
