// external-dns on an EKS cluster, writing to the stack's Route53 zone with a Pod Identity role: for
// records the stack does not manage itself (e.g. tenants' Services annotated with a hostname). It
// only upserts (never deletes what it did not create), owns records by a TXT registry per cluster,
// and leaves the CDN's own names alone (it acts only on objects with the hostname annotation).
import type * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterOutputs } from '../cluster/types.ts';
import { externalDnsRoute53Policy } from '../identity/dns-policies.ts';
import { PodIdentityRole } from '../identity/pod-identity.ts';

export const externalDnsChart = {
  chart: 'external-dns',
  version: '1.19.0',
  repo: 'https://kubernetes-sigs.github.io/external-dns/',
} as const;
const namespace = 'external-dns';
const serviceAccount = 'external-dns';

export interface Route53ExternalDnsArgs {
  provider: aws.Provider;
  cluster: ClusterOutputs;
  zone: string;
  zoneId: pulumi.Input<string>;
  /** Owner of this cluster's records in the TXT registry; unique per cluster. */
  ownerId: string;
  tags: Record<string, string>;
}

export class Route53ExternalDns extends pulumi.ComponentResource {
  constructor(name: string, args: Route53ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:dns:Route53ExternalDns', name, {}, opts);
    const identity = new PodIdentityRole(
      name,
      {
        provider: args.provider,
        clusterName: args.cluster.name,
        namespace,
        serviceAccount,
        policy: externalDnsRoute53Policy(args.zoneId),
        tags: args.tags,
      },
      { parent: this },
    );
    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: namespace,
          labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
        },
      },
      { parent: this, provider: args.cluster.provider },
    );
    new k8s.helm.v3.Release(
      name,
      {
        name: 'external-dns',
        chart: externalDnsChart.chart,
        version: externalDnsChart.version,
        repositoryOpts: { repo: externalDnsChart.repo },
        namespace,
        atomic: true,
        cleanupOnFail: true,
        values: {
          provider: { name: 'aws' },
          serviceAccount: { create: true, name: serviceAccount },
          sources: ['service', 'ingress'],
          domainFilters: [args.zone],
          policy: 'upsert-only',
          registry: 'txt',
          txtOwnerId: args.ownerId,
          // Only objects that ask for a name: the CDN's own records stay with Route53Records.
          extraArgs: [
            pulumi.interpolate`--zone-id-filter=${args.zoneId}`,
            '--annotation-filter=external-dns.alpha.kubernetes.io/hostname',
          ],
          resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        },
      },
      { parent: this, provider: args.cluster.provider, dependsOn: [ns, identity] },
    );
    this.registerOutputs({});
  }
}
