import type { ResourceValidationPolicy } from '@pulumi/policy';
import { read } from '../lib/props.ts';

/**
 * A Kubernetes Secret's data stays a Pulumi secret (encrypted in state, hidden in diffs). A policy
 * sees secret inputs as plain values, so it cannot tell a pulumi.secret from a literal; what it can
 * see is the resource's additionalSecretOutputs, which @pulumi/kubernetes sets to data and
 * stringData for every core/v1 Secret. A Secret without them was made some other way (an old SDK,
 * a raw CustomResource, a transform that dropped the option) and may keep its values in plain state.
 */
export const k8sSecretDataSecret: ResourceValidationPolicy = {
  name: 'k8s-secret-data-secret',
  description:
    "A Kubernetes Secret's data and stringData are Pulumi secrets (additionalSecretOutputs covers them), never plain values in the state.",
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== 'kubernetes:core/v1:Secret') return;
    const secretOutputs = args.opts.additionalSecretOutputs ?? [];
    for (const field of ['data', 'stringData'] as const) {
      if (read(args.props, field) !== undefined && !secretOutputs.includes(field)) {
        report(
          `Secret ${args.name}: ${field} is not marked secret (additionalSecretOutputs lacks "${field}"); create it with @pulumi/kubernetes core.v1.Secret or add the option`,
        );
      }
    }
  },
};
