// external-dns, optional (dns.externalDns): keeps records for Services and Ingresses that ask for
// one with the external-dns.alpha.kubernetes.io/hostname annotation (e.g. a tenant's own hostname
// CNAMEd to the CDN). The CDN's own names stay with the stack's DNS component, which owns their
// geo routing: the annotation filter keeps external-dns away from them. Upsert-only, and a TXT
// owner per cluster, so regions never delete each other's records.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { clusterNamespace } from '../cluster/namespace.ts';
import type { ClusterOutputs } from '../cluster/types.ts';
import { standardLabels } from '../labels.ts';

/** The kubernetes-sigs chart, pinned (app v0.19.0). */
export const externalDnsChart = {
  chart: 'external-dns',
  version: '1.19.0',
  repo: 'https://kubernetes-sigs.github.io/external-dns/',
} as const;

export const externalDnsNamespace = 'external-dns';
/** The chart's ServiceAccount (release name): Workload Identity or IRSA binds to it. */
export const externalDnsServiceAccount = 'external-dns';
export const hostnameAnnotation = 'external-dns.alpha.kubernetes.io/hostname';

export type ExternalDnsProvider =
  | {
      name: 'google';
      project: string;
      serviceAccountAnnotations: Record<string, pulumi.Input<string>>;
    }
  | { name: 'cloudflare'; apiToken: pulumi.Output<string> };

export interface ExternalDnsArgs {
  cluster: Pick<ClusterOutputs, 'provider' | 'region'>;
  environment: string;
  /** The zone external-dns may write to, e.g. example.com. */
  zone: string;
  /** Owner of this cluster's TXT registry records, unique per cluster. */
  ownerId: string;
  provider: ExternalDnsProvider;
}

export function externalDnsValues(
  args: Omit<ExternalDnsArgs, 'cluster' | 'provider'> & { provider: ExternalDnsProvider['name'] },
  extra: { env?: unknown[]; serviceAccountAnnotations?: Record<string, string> },
): Record<string, unknown> {
  return {
    provider: { name: args.provider },
    sources: ['service', 'ingress'],
    domainFilters: [args.zone],
    policy: 'upsert-only',
    registry: 'txt',
    txtOwnerId: args.ownerId,
    extraArgs: [
      `--annotation-filter=${hostnameAnnotation}`,
      ...(args.provider === 'cloudflare' ? ['--cloudflare-dns-records-per-page=5000'] : []),
    ],
    env: extra.env ?? [],
    serviceAccount: { create: true, annotations: extra.serviceAccountAnnotations ?? {} },
    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      fsGroup: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    },
  };
}

export class ExternalDns extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:dns:ExternalDns', name, {}, opts);
    const k8sOpts = { parent: this, provider: args.cluster.provider };
    const labels = standardLabels('external-dns', args.environment);
    const namespace = clusterNamespace(
      `${name}-namespace`,
      {
        cluster: args.cluster,
        name: externalDnsNamespace,
        component: 'external-dns',
        environment: args.environment,
      },
      { parent: this },
    );

    const extra: {
      env?: unknown[];
      serviceAccountAnnotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    } = {};
    const dependsOn: pulumi.Resource[] = [namespace];
    if (args.provider.name === 'cloudflare') {
      const token = new k8s.core.v1.Secret(
        `${name}-cloudflare-api-token`,
        {
          metadata: { name: 'cloudflare-api-token', namespace: externalDnsNamespace, labels },
          type: 'Opaque',
          stringData: { 'api-token': pulumi.secret(args.provider.apiToken) },
        },
        { ...k8sOpts, dependsOn: [namespace] },
      );
      dependsOn.push(token);
      extra.env = [
        {
          name: 'CF_API_TOKEN',
          valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } },
        },
      ];
    } else {
      extra.serviceAccountAnnotations = args.provider.serviceAccountAnnotations;
    }
    const googleArgs =
      args.provider.name === 'google'
        ? [`--google-project=${args.provider.project}`, '--google-zone-visibility=public']
        : [];

    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: 'external-dns',
        chart: externalDnsChart.chart,
        version: externalDnsChart.version,
        repositoryOpts: { repo: externalDnsChart.repo },
        namespace: externalDnsNamespace,
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        values: pulumi.output(extra.serviceAccountAnnotations ?? {}).apply((annotations) => {
          const values = externalDnsValues(
            {
              environment: args.environment,
              zone: args.zone,
              ownerId: args.ownerId,
              provider: args.provider.name,
            },
            { env: extra.env, serviceAccountAnnotations: annotations as Record<string, string> },
          );
          return { ...values, extraArgs: [...(values.extraArgs as string[]), ...googleArgs] };
        }),
      },
      { ...k8sOpts, dependsOn },
    );
    this.registerOutputs({});
  }
}
