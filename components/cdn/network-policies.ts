// NetworkPolicies of the CDN namespace: deny everything, then allow only the flows of DESIGN.md.
import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { ports } from '../../runtime/contract.ts';
import { namespaces } from '../namespaces.ts';

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

export interface NetworkPolicyArgs {
  edgeSelector: Record<string, string>;
  /** Undefined in edge-only regions, which run no origin. */
  originSelector?: Record<string, string>;
  /** Ports of Postgres and Redis (home region only). */
  dataStorePorts?: pulumi.Input<number>[];
  /** Managed stores outside the cluster; otherwise the stores run in namespace edgeplane-data. */
  dataStoreCidrs?: string[];
  ingressControllerNamespace: string;
  /** The origin has a load balancer of its own: clients reach it from anywhere, not via an ingress controller. */
  originLoadBalanced?: boolean;
  monitoringNamespace: string;
  /** Port of the OpenTelemetry Collector's OTLP endpoint in the monitoring namespace. */
  otlpPort: number;
  /** Allow tenant origins on private addresses (RFC 1918, CGNAT, ULA). */
  privateTenantOrigins: boolean;
}

export interface NamedPolicy {
  name: string;
  spec: PolicySpec;
}

const inNamespace = (name: string): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});

const tcp = (port: pulumi.Input<number>): Port => ({ protocol: 'TCP', port });

/** Link-local holds the clouds' instance metadata service: never reachable from the runtime. */
const alwaysBlocked = { v4: ['169.254.0.0/16'], v6: ['fe80::/10'] };
/** The cluster's and its network's own addresses: tenant origins may not point there unless allowed. */
const privateRanges = {
  v4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8'],
  // Unique local addresses, which include AWS's IPv6 metadata endpoint fd00:ec2::254.
  v6: ['fc00::/7'],
};

/**
 * Tenant origins (and, for edge-only regions, the home origin's public API) are on the internet,
 * on 80 and 443.
 */
function internetWeb(privateTenantOrigins: boolean) {
  const v4 = privateTenantOrigins ? alwaysBlocked.v4 : [...alwaysBlocked.v4, ...privateRanges.v4];
  const v6 = privateTenantOrigins
    ? [...alwaysBlocked.v6, 'fd00:ec2::254/128']
    : [...alwaysBlocked.v6, ...privateRanges.v6];
  return {
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: v4 } }, { ipBlock: { cidr: '::/0', except: v6 } }],
    ports: [tcp(80), tcp(443)],
  };
}

export function networkPolicies(args: NetworkPolicyArgs): NamedPolicy[] {
  const allPods = {};
  const internet = internetWeb(args.privateTenantOrigins);
  const policies: NamedPolicy[] = [
    {
      name: 'default-deny',
      spec: { podSelector: allPods, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      name: 'allow-dns',
      spec: {
        podSelector: allPods,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                ...inNamespace('kube-system'),
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
    {
      name: 'allow-prometheus-scrape',
      spec: {
        podSelector: allPods,
        policyTypes: ['Ingress'],
        ingress: [
          { from: [inNamespace(args.monitoringNamespace)], ports: [tcp(ports.management)] },
        ],
      },
    },
    {
      name: 'allow-telemetry-export',
      spec: {
        podSelector: allPods,
        policyTypes: ['Egress'],
        egress: [{ to: [inNamespace(args.monitoringNamespace)], ports: [tcp(args.otlpPort)] }],
      },
    },
    {
      // Clients reach the edge through the ingress controller or a load balancer: from anywhere.
      name: 'edge-allow-clients',
      spec: {
        podSelector: { matchLabels: args.edgeSelector },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [tcp(ports.traffic)] }],
      },
    },
    {
      name: 'edge-allow-egress',
      spec: {
        podSelector: { matchLabels: args.edgeSelector },
        policyTypes: ['Egress'],
        egress: [
          ...(args.originSelector
            ? [
                {
                  to: [{ podSelector: { matchLabels: args.originSelector } }],
                  ports: [tcp(ports.traffic)],
                },
              ]
            : []),
          internet,
        ],
      },
    },
  ];
  if (args.originSelector) {
    const dataStores: Peer[] = args.dataStoreCidrs?.length
      ? args.dataStoreCidrs.map((cidr) => ({ ipBlock: { cidr } }))
      : [inNamespace(namespaces.data)];
    policies.push(
      {
        name: 'origin-allow-edges-and-ingress',
        spec: {
          podSelector: { matchLabels: args.originSelector },
          policyTypes: ['Ingress'],
          ingress: [
            args.originLoadBalanced
              ? { ports: [tcp(ports.traffic)] }
              : {
                  from: [
                    { podSelector: { matchLabels: args.edgeSelector } },
                    inNamespace(args.ingressControllerNamespace),
                  ],
                  ports: [tcp(ports.traffic)],
                },
          ],
        },
      },
      {
        name: 'origin-allow-egress',
        spec: {
          podSelector: { matchLabels: args.originSelector },
          policyTypes: ['Egress'],
          egress: [{ to: dataStores, ports: (args.dataStorePorts ?? []).map(tcp) }, internet],
        },
      },
    );
  }
  return policies;
}
