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
  monitoringNamespace: string;
  /** Port of the OpenTelemetry Collector's OTLP endpoint in the monitoring namespace. */
  otlpPort: number;
}

export interface NamedPolicy {
  name: string;
  spec: PolicySpec;
}

const inNamespace = (name: string): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});

const tcp = (port: pulumi.Input<number>): Port => ({ protocol: 'TCP', port });

/**
 * Tenant origins (and, for edge-only regions, the home origin's public API) are anywhere on the
 * internet, on 80 and 443. Link-local is cut out: it holds the clouds' instance metadata service,
 * which a tenant's origin hostname must never reach.
 */
const internetWeb = {
  to: [
    { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } },
    { ipBlock: { cidr: '::/0', except: ['fe80::/10', 'fd00:ec2::254/128'] } },
  ],
  ports: [tcp(80), tcp(443)],
};

export function networkPolicies(args: NetworkPolicyArgs): NamedPolicy[] {
  const allPods = {};
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
          internetWeb,
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
            {
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
          egress: [{ to: dataStores, ports: (args.dataStorePorts ?? []).map(tcp) }, internetWeb],
        },
      },
    );
  }
  return policies;
}
