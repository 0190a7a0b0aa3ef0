// The CDN's entry on clouds: a LoadBalancer Service per role, for the cloud's load balancer (an
// AWS NLB terminating TLS with an ACM certificate, say) to send clients straight to the pods. The
// address the cloud assigns (a hostname on AWS, an IP on GCP) is what DNS points at.
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { ports } from '../../runtime/contract.ts';
import { entryLabel } from '../labels.ts';

export interface LoadBalancerEntryArgs {
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** The cloud's annotations: load balancer type, certificate, TLS policy. */
  annotations: Record<string, pulumi.Input<string>>;
  /** 443 always (TLS terminated by the load balancer); 80 too for the edge (plain HTTP sites, redirects). */
  plainHttp: boolean;
}

export function loadBalancerEntry(
  name: string,
  resourceName: string,
  args: LoadBalancerEntryArgs,
  opts: pulumi.CustomResourceOptions,
): { service: k8s.core.v1.Service; address: pulumi.Output<string> } {
  const service = new k8s.core.v1.Service(
    resourceName,
    {
      metadata: {
        name,
        namespace: args.namespace,
        labels: { ...args.labels, [entryLabel]: 'true' },
        annotations: args.annotations,
      },
      spec: {
        type: 'LoadBalancer',
        // Keeps the client's address (rate limits, logs) and skips a second hop between nodes.
        externalTrafficPolicy: 'Local',
        selector: args.selector,
        ports: [
          { name: 'https', port: 443, targetPort: ports.traffic, protocol: 'TCP' },
          ...(args.plainHttp
            ? [{ name: 'http', port: 80, targetPort: ports.traffic, protocol: 'TCP' }]
            : []),
        ],
      },
    },
    opts,
  );
  const address = service.status.apply((status) => {
    const ingress = status?.loadBalancer?.ingress?.[0];
    return ingress?.hostname ?? ingress?.ip ?? '';
  });
  return { service, address };
}
