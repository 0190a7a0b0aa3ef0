// The way into a GKE cluster: a regional static IP and Traefik behind a TCP load balancer on it.
// Traefik serves the Cdn's Ingress (TLS from cert-manager); the IP is what DNS points at, known
// before the load balancer exists. externalTrafficPolicy Local keeps the client's address for the
// edge's rate limits. Traefik runs in its own namespace, which the Cdn's NetworkPolicies admit.
import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { standardLabels } from '../labels.ts';
import type { MonitoringOutputs } from '../monitoring/types.ts';
import { namespaces } from '../namespaces.ts';
import { clusterNamespace } from './namespace.ts';
import { fromNamespace, tcpPorts } from './namespace-isolation.ts';
import type { ClusterOutputs } from './types.ts';

/** Traefik's chart, pinned; bump with its values.yaml in hand (the chart rejects unknown keys). */
export const traefikChart = {
  chart: 'traefik',
  version: '37.3.0',
  repo: 'https://traefik.github.io/charts',
} as const;

export const gkeIngress = { className: 'traefik', namespace: 'traefik' } as const;

/**
 * Top-level values of the pinned chart this module sets, with the nested keys its values.schema.json
 * closes (additionalProperties: false). A test holds traefikValues to them.
 */
export const traefikChartKeys = {
  deployment: ['replicas'],
  podDisruptionBudget: ['enabled', 'maxUnavailable', 'minAvailable'],
  ingressClass: ['enabled', 'isDefaultClass', 'name'],
  providers: [
    'file',
    'knative',
    'kubernetesCRD',
    'kubernetesGateway',
    'kubernetesIngress',
    'kubernetesIngressNginx',
  ],
  service: ['type', 'spec', 'annotations', 'labels', 'enabled', 'single'],
  logs: ['access', 'general'],
  metrics: ['prometheus', 'otlp', 'addInternals'],
  resources: [],
  podSecurityContext: [],
  securityContext: ['allowPrivilegeEscalation', 'capabilities', 'readOnlyRootFilesystem'],
  commonLabels: [],
} as const satisfies Record<string, readonly string[]>;

export interface GkeIngressArgs {
  project: string;
  region: string;
  gcpProvider: gcp.Provider;
  cluster: Pick<ClusterOutputs, 'provider'>;
  environment: 'dev' | 'staging' | 'prod';
  /** When given, Traefik's metrics get a ServiceMonitor this Prometheus selects. */
  monitoring?: Pick<MonitoringOutputs, 'selectorLabels' | 'ready'>;
}

/** The regional address a GKE cluster's ingress answers on; DNS records point here. */
export function ingressAddress(
  name: string,
  args: Pick<GkeIngressArgs, 'project' | 'region' | 'gcpProvider' | 'environment'>,
  opts: pulumi.CustomResourceOptions,
): gcp.compute.Address {
  return new gcp.compute.Address(
    name,
    {
      project: args.project,
      region: args.region,
      addressType: 'EXTERNAL',
      networkTier: 'PREMIUM',
      description: `edgeplane ${args.environment} ingress in ${args.region}`,
      labels: { 'part-of': 'edgeplane', environment: args.environment },
    },
    { ...opts, provider: args.gcpProvider },
  );
}

export function traefikValues(args: {
  address: string;
  environment: 'dev' | 'staging' | 'prod';
  /** Labels Prometheus selects ServiceMonitors by; no ServiceMonitor when undefined. */
  serviceMonitorLabels?: Record<string, string>;
}): Record<string, unknown> {
  const prod = args.environment === 'prod';
  return {
    deployment: { replicas: prod ? 3 : 2 },
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    ingressClass: { enabled: true, isDefaultClass: false, name: gkeIngress.className },
    providers: {
      kubernetesIngress: { enabled: true, publishedService: { enabled: true } },
      kubernetesCRD: { enabled: false },
    },
    service: {
      type: 'LoadBalancer',
      spec: { loadBalancerIP: args.address, externalTrafficPolicy: 'Local' },
    },
    logs: { access: { enabled: true } },
    metrics: {
      prometheus: args.serviceMonitorLabels
        ? { serviceMonitor: { enabled: true, additionalLabels: args.serviceMonitorLabels } }
        : {},
    },
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
  };
}

/** Installs Traefik on the cluster, answering on `address`. */
export function traefikIngress(
  name: string,
  args: GkeIngressArgs & { address: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  const namespace = clusterNamespace(
    `${name}-namespace`,
    {
      cluster: args.cluster,
      name: gkeIngress.namespace,
      component: 'ingress',
      environment: args.environment,
      allowIngress: [
        // Clients through the load balancer on Traefik's web and websecure entry points.
        { ports: tcpPorts(8000, 8443) },
        { from: [fromNamespace(namespaces.monitoring)], ports: tcpPorts(9100) },
      ],
    },
    opts,
  );
  return new k8s.helm.v3.Release(
    name,
    {
      name: 'traefik',
      chart: traefikChart.chart,
      version: traefikChart.version,
      repositoryOpts: { repo: traefikChart.repo },
      namespace: namespace.metadata.name,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: pulumi.output(args.address).apply((address) => ({
        ...traefikValues({
          address,
          environment: args.environment,
          serviceMonitorLabels: args.monitoring?.selectorLabels,
        }),
        // The chart sets its own name and managed-by labels: a second one would be a duplicate key.
        commonLabels: chartLabels(args.environment),
      })),
    },
    {
      ...opts,
      provider: args.cluster.provider,
      dependsOn: [namespace, ...(args.monitoring?.ready ?? [])],
    },
  );
}

function chartLabels(environment: string): Record<string, string> {
  const {
    'app.kubernetes.io/name': _name,
    'app.kubernetes.io/managed-by': _by,
    ...rest
  } = standardLabels('ingress', environment);
  return rest;
}
