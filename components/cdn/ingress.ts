// The Ingress in front of the CDN, TLS signed through cert-manager's ingress-shim by the stack's
// ClusterIssuer. Named hosts: the edge hostname and, in the home region, the API and dashboard.
// Any other Host (tenants' own hostnames CNAMEd to the CDN) goes to the edge, which knows sites by Host.
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { ports } from '../../runtime/contract.ts';
import type { TlsOutputs } from '../tls/types.ts';
import { withDependencies } from './depends-on.ts';
import type { CdnHostnames } from './types.ts';

export const tlsSecretName = 'edgeplane-tls';

export interface EdgeplaneIngressArgs {
  /** Prefix of the Pulumi name (the Cdn's name). */
  resourcePrefix: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  ingressClassName: string;
  hostnames: CdnHostnames;
  edgeServiceName: string;
  /** Undefined in edge-only regions. */
  originServiceName?: string;
  tls: TlsOutputs;
}

export function edgeplaneIngress(
  name: string,
  args: EdgeplaneIngressArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.Ingress {
  const backend = (service: string) => ({
    service: { name: service, port: { number: ports.traffic } },
  });
  const everything = (service: string) => ({
    paths: [{ path: '/', pathType: 'Prefix', backend: backend(service) }],
  });
  const { edge, api, dashboard } = args.hostnames;
  const origin = args.originServiceName;
  const originHosts = origin ? [api, dashboard].filter(isString) : [];
  const rules: k8s.types.input.networking.v1.IngressRule[] = [
    { host: edge, http: everything(args.edgeServiceName) },
    ...(origin ? originHosts.map((host) => ({ host, http: everything(origin) })) : []),
  ];
  return new k8s.networking.v1.Ingress(
    `${args.resourcePrefix}-${name}`,
    {
      metadata: {
        name,
        namespace: args.namespace,
        labels: args.labels,
        annotations: { 'cert-manager.io/cluster-issuer': args.tls.clusterIssuerName },
      },
      spec: {
        ingressClassName: args.ingressClassName,
        tls: [{ hosts: [edge, ...originHosts], secretName: tlsSecretName }],
        rules,
        defaultBackend: backend(args.edgeServiceName),
      },
    },
    withDependencies(opts, args.tls.ready),
  );
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
