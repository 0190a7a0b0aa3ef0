// The CDN's NetworkPolicies judged by what they let through: a small evaluator of NetworkPolicy
// semantics (a pod is isolated in a direction once any policy selects it for that direction; a
// flow needs the sender's egress and the receiver's ingress allowed) asked about each flow.
import { BlockList, isIPv6 } from 'node:net';
import { ports } from '../../runtime/contract.ts';
import { type NamedPolicy, type NetworkPolicyArgs, networkPolicies } from './network-policies.ts';
import { runtimePodSelector } from './pod-selector.ts';

interface Pod {
  namespace: string;
  labels: Record<string, string>;
}
type Endpoint = { pod: Pod } | { ip: string };
interface Selector {
  matchLabels?: Record<string, string>;
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number }[];
}
interface Spec {
  podSelector: Selector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

const cdnNamespace = 'edgeplane';
const edgeLabels = runtimePodSelector('edge');
const originLabels = runtimePodSelector('origin');

const pods = {
  edge: { pod: { namespace: cdnNamespace, labels: edgeLabels } },
  origin: { pod: { namespace: cdnNamespace, labels: originLabels } },
  traefik: { pod: { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'traefik' } } },
  coredns: { pod: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } },
  prometheus: {
    pod: { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
  },
  collector: { pod: { namespace: 'monitoring', labels: { app: 'otel-collector' } } },
  postgres: { pod: { namespace: 'edgeplane-data', labels: { 'cnpg.io/cluster': 'postgres' } } },
  redis: { pod: { namespace: 'edgeplane-data', labels: { app: 'redis' } } },
  otherApp: { pod: { namespace: 'default', labels: { app: 'shop' } } },
} satisfies Record<string, Endpoint>;
const internetClient = { ip: '203.0.113.7' };
const tenantOrigin = { ip: '93.184.216.34' };
const tenantOriginV6 = { ip: '2606:2800:220:1::1' };
const lanOrigin = { ip: '192.168.1.20' };
const metadataService = { ip: '169.254.169.254' };
const awsMetadataV6 = { ip: 'fd00:ec2::254' };

function matches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function peerMatches(peer: Peer, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (!('ip' in endpoint)) return false;
    const type = isIPv6(endpoint.ip) ? 'ipv6' : 'ipv4';
    const inBlock = (cidr: string) => {
      const [network, prefix] = cidr.split('/') as [string, string];
      if (isIPv6(network) !== (type === 'ipv6')) return false;
      const list = new BlockList();
      list.addSubnet(network, Number(prefix), type);
      return list.check(endpoint.ip, type);
    };
    return inBlock(peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some(inBlock);
  }
  if (!('pod' in endpoint)) return false;
  const { pod } = endpoint;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace })
    : pod.namespace === policyNamespace;
  return namespaceOk && matches(peer.podSelector, pod.labels);
}

function allowedBy(
  policies: NamedPolicy[],
  self: Endpoint,
  direction: 'Ingress' | 'Egress',
  peer: Endpoint,
  port: number,
  protocol: string,
): boolean {
  // Only the CDN namespace has policies here: anything else (and any outside address) is open.
  if (!('pod' in self) || self.pod.namespace !== cdnNamespace) return true;
  const selecting = policies
    .map((policy) => policy.spec as unknown as Spec)
    .filter(
      (spec) => spec.policyTypes.includes(direction) && matches(spec.podSelector, self.pod.labels),
    );
  if (selecting.length === 0) return true;
  return selecting.some((spec) =>
    ((direction === 'Ingress' ? spec.ingress : spec.egress) ?? []).some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk =
        peers === undefined ||
        peers.length === 0 ||
        peers.some((p) => peerMatches(p, peer, cdnNamespace));
      const portOk =
        rule.ports === undefined ||
        rule.ports.length === 0 ||
        rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && p.port === port);
      return peerOk && portOk;
    }),
  );
}

function flow(
  policies: NamedPolicy[],
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  return (
    allowedBy(policies, from, 'Egress', to, port, protocol) &&
    allowedBy(policies, to, 'Ingress', from, port, protocol)
  );
}

const homeArgs: NetworkPolicyArgs = {
  edgeSelector: edgeLabels,
  originSelector: originLabels,
  dataStorePorts: [5432, 6379],
  ingressControllerNamespace: 'kube-system',
  monitoringNamespace: 'monitoring',
  otlpPort: 4318,
  privateTenantOrigins: false,
};

describe('CDN NetworkPolicies, home region', () => {
  const policies = networkPolicies(homeArgs);
  const { traffic, management } = ports;

  it('start from a default deny of both directions for every pod', () => {
    expect(policies[0]).toEqual({
      name: 'default-deny',
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    // Without the allow policies, nothing flows.
    const denyOnly = policies.slice(0, 1);
    expect(flow(denyOnly, internetClient, pods.edge, traffic)).toBe(false);
    expect(flow(denyOnly, pods.edge, pods.coredns, 53, 'UDP')).toBe(false);
  });

  it.each([
    ['clients -> edge traffic port', internetClient, pods.edge, traffic, 'TCP'],
    ['ingress controller -> edge', pods.traefik, pods.edge, traffic, 'TCP'],
    ['edge -> origin', pods.edge, pods.origin, traffic, 'TCP'],
    [
      'ingress controller -> origin (API, dashboard, remote edges)',
      pods.traefik,
      pods.origin,
      traffic,
      'TCP',
    ],
    ['origin -> Postgres', pods.origin, pods.postgres, 5432, 'TCP'],
    ['origin -> Redis', pods.origin, pods.redis, 6379, 'TCP'],
    ['origin -> tenant origin https', pods.origin, tenantOrigin, 443, 'TCP'],
    ['origin -> tenant origin http', pods.origin, tenantOrigin, 80, 'TCP'],
    ['edge -> tenant origin https', pods.edge, tenantOrigin, 443, 'TCP'],
    ['edge -> tenant origin over IPv6', pods.edge, tenantOriginV6, 443, 'TCP'],
    ['Prometheus -> edge metrics', pods.prometheus, pods.edge, management, 'TCP'],
    ['Prometheus -> origin metrics', pods.prometheus, pods.origin, management, 'TCP'],
    ['edge -> DNS (UDP)', pods.edge, pods.coredns, 53, 'UDP'],
    ['origin -> DNS (TCP)', pods.origin, pods.coredns, 53, 'TCP'],
    ['edge -> OTLP collector', pods.edge, pods.collector, 4318, 'TCP'],
  ] as const)('allow %s', (_name, from, to, port, protocol) => {
    expect(flow(policies, from, to, port, protocol)).toBe(true);
  });

  it.each([
    ['clients -> origin directly', internetClient, pods.origin, traffic],
    ['clients -> edge management port', internetClient, pods.edge, management],
    ['another app -> origin', pods.otherApp, pods.origin, traffic],
    ['ingress controller -> management port', pods.traefik, pods.edge, management],
    ['edge -> Postgres', pods.edge, pods.postgres, 5432],
    ['edge -> Redis', pods.edge, pods.redis, 6379],
    ['origin -> Postgres on another port', pods.origin, pods.postgres, 22],
    ['edge -> tenant origin on SSH', pods.edge, tenantOrigin, 22],
    ['edge -> instance metadata', pods.edge, metadataService, 80],
    ['origin -> instance metadata', pods.origin, metadataService, 80],
    ['edge -> AWS IPv6 metadata', pods.edge, awsMetadataV6, 80],
    ['edge -> a private address', pods.edge, lanOrigin, 443],
    ['edge -> another app in the cluster', pods.edge, pods.otherApp, 80],
    ['origin -> edge', pods.origin, pods.edge, traffic],
    ['edge -> DNS server outside kube-system', pods.edge, pods.otherApp, 53],
  ] as const)('deny %s', (_name, from, to, port) => {
    expect(flow(policies, from, to, port)).toBe(false);
  });
});

describe('CDN NetworkPolicies, options and edge-only regions', () => {
  it('let tenant origins on private addresses through only when asked, never instance metadata', () => {
    const open = networkPolicies({ ...homeArgs, privateTenantOrigins: true });
    expect(flow(open, pods.edge, lanOrigin, 443)).toBe(true);
    expect(flow(open, pods.edge, metadataService, 80)).toBe(false);
    expect(flow(open, pods.edge, awsMetadataV6, 80)).toBe(false);
  });

  it('reach managed data stores by CIDR when they live outside the cluster', () => {
    const managed = networkPolicies({ ...homeArgs, dataStoreCidrs: ['10.20.0.0/16'] });
    expect(flow(managed, pods.origin, { ip: '10.20.3.4' }, 5432)).toBe(true);
    expect(flow(managed, pods.origin, { ip: '10.21.3.4' }, 5432)).toBe(false);
    expect(flow(managed, pods.origin, pods.postgres, 5432)).toBe(false);
    expect(flow(managed, pods.edge, { ip: '10.20.3.4' }, 5432)).toBe(false);
  });

  it('edge-only: no origin rules; edges still reach the home origin over the internet', () => {
    const edgeOnly = networkPolicies({
      ...homeArgs,
      originSelector: undefined,
      dataStorePorts: undefined,
    });
    expect(
      edgeOnly.map((policy) => policy.name).filter((name) => name.startsWith('origin')),
    ).toEqual([]);
    expect(flow(edgeOnly, pods.edge, { ip: '198.51.100.10' }, 443)).toBe(true);
    expect(flow(edgeOnly, internetClient, pods.edge, ports.traffic)).toBe(true);
    expect(flow(edgeOnly, pods.edge, pods.postgres, 5432)).toBe(false);
  });
});
