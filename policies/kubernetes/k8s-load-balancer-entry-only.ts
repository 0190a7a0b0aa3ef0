import type { ResourceValidationPolicy } from '@pulumi/policy';
import { entryLabel } from '../../components/labels.ts';
import { read, unknown } from '../lib/props.ts';

/**
 * A LoadBalancer Service puts a workload on the internet (and costs a cloud load balancer): only
 * the CDN's entries, which components/cdn labels, may be one.
 */
export const k8sLoadBalancerEntryOnly: ResourceValidationPolicy = {
  name: 'k8s-load-balancer-entry-only',
  description: `No Service of type LoadBalancer except the CDN's public entries (label ${entryLabel}: "true", set by components/cdn).`,
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== 'kubernetes:core/v1:Service') return;
    if (read(args.props, 'spec.type') !== 'LoadBalancer') return;
    const label = read(args.props, ['metadata', 'labels', entryLabel]);
    if (label === 'true' || label === unknown) return;
    const name = `${String(read(args.props, 'metadata.namespace'))}/${String(read(args.props, 'metadata.name') ?? args.name)}`;
    report(
      `Service ${name} is of type LoadBalancer but is not a CDN entry (label ${entryLabel}: "true"); use a ClusterIP Service behind the ingress controller`,
    );
  },
};
