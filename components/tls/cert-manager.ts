// TLS for the cluster: cert-manager from its pinned Helm chart (CRDs installed with it, and every
// issuer waiting for it), Let's Encrypt ClusterIssuers with a DNS-01 solver for the stack's DNS
// provider, and a local CA for k3s and dev. Workloads get certificates through an Ingress
// annotation or a Certificate naming `clusterIssuerName`, after `ready`.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { clusterNamespace } from '../cluster/namespace.ts';
import { fromNamespace, tcpPorts } from '../cluster/namespace-isolation.ts';
import type { ClusterOutputs } from '../cluster/types.ts';
import { standardLabels } from '../labels.ts';
import type { MonitoringOutputs } from '../monitoring/types.ts';
import { namespaces } from '../namespaces.ts';
import { certManagerChart } from './cert-manager-chart.ts';
import {
  type AcmeIssuer,
  acmeIssuerSpec,
  cloudflareTokenSecret,
  clusterIssuerName,
  type Dns01Provider,
  dns01Solver,
  localCaCertificateSpec,
  localCaSecretName,
  selfSignedIssuerName,
  type TlsIssuer,
} from './issuers.ts';
import type { TlsOutputs } from './types.ts';
import { certManagerValues } from './values.ts';

export interface CertManagerArgs {
  cluster: ClusterOutputs;
  environment: string;
  /** The issuer that signs the CDN's certificates (`tls.issuer` of the stack config). */
  issuer: TlsIssuer;
  /** Let's Encrypt account email (`tls.email`); with `dns01`, both Let's Encrypt issuers are created. */
  acmeEmail?: string;
  /** The zone cert-manager proves control of, and how. */
  dns01?: Dns01Provider & { zone: string };
  /** Also create the local CA when another issuer signs the CDN. Default: only for `local-ca`. */
  localCa?: boolean;
  /** Two replicas of each cert-manager part, with PodDisruptionBudgets. */
  highlyAvailable?: boolean;
  /** Annotations on cert-manager's ServiceAccount: an IRSA role (Route53) or Workload Identity (Cloud DNS). */
  serviceAccountAnnotations?: Record<string, string>;
  /** When given, cert-manager's metrics get a ServiceMonitor that this Prometheus selects. */
  monitoring?: Pick<MonitoringOutputs, 'selectorLabels' | 'ready'>;
}

export class CertManager extends pulumi.ComponentResource implements TlsOutputs {
  public readonly clusterIssuerName: string;
  public readonly ready: pulumi.Resource[];
  public readonly namespace: string = namespaces.certManager;
  public readonly release: k8s.helm.v3.Release;
  /** Every ClusterIssuer created, by name. */
  public readonly issuers: Record<string, k8s.apiextensions.CustomResource> = {};

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('edgeplane:tls:CertManager', name, {}, opts);
    const acme = checkArgs(name, args);
    const labels = standardLabels('cert-manager', args.environment);
    const provider = args.cluster.provider;
    const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({
      parent: this,
      provider,
      dependsOn,
    });

    const namespace = clusterNamespace(
      `${name}-namespace`,
      {
        cluster: args.cluster,
        name: this.namespace,
        component: 'cert-manager',
        environment: args.environment,
        allowIngress: [
          // The API server calls the webhook (its securePort); where it comes from depends on the cloud.
          { ports: tcpPorts(10250) },
          { from: [fromNamespace(namespaces.monitoring)], ports: tcpPorts(9402) },
        ],
      },
      { parent: this },
    );

    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: 'cert-manager',
        chart: certManagerChart.chart,
        version: certManagerChart.version,
        repositoryOpts: { repo: certManagerChart.repo },
        namespace: namespace.metadata.name,
        createNamespace: false,
        // The release is ready only when the CRDs exist and the webhook answers.
        skipAwait: false,
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
        values: certManagerValues({
          namespace: this.namespace,
          labels,
          highlyAvailable: args.highlyAvailable ?? false,
          serviceAccountAnnotations: args.serviceAccountAnnotations,
          serviceMonitorLabels: args.monitoring?.selectorLabels,
        }),
      },
      child(args.monitoring?.ready ?? []),
    );

    const issuer = (
      issuerName: string,
      spec: Record<string, unknown>,
      after: pulumi.Resource[],
    ) => {
      const resource = new k8s.apiextensions.CustomResource(
        `${name}-${issuerName}`,
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'ClusterIssuer',
          metadata: { name: issuerName, labels },
          spec,
        },
        child([this.release, ...after]),
      );
      this.issuers[issuerName] = resource;
      return resource;
    };

    if (acme) {
      const secrets: pulumi.Resource[] = [];
      if (acme.dns.provider === 'cloudflare') {
        secrets.push(
          new k8s.core.v1.Secret(
            `${name}-cloudflare-token`,
            {
              metadata: {
                name: cloudflareTokenSecret.name,
                namespace: namespace.metadata.name,
                labels,
              },
              type: 'Opaque',
              stringData: { [cloudflareTokenSecret.key]: pulumi.secret(acme.dns.apiToken) },
            },
            child(),
          ),
        );
      }
      const solver = dns01Solver(acme.dns, acme.dns.zone);
      for (const acmeIssuer of ['letsencrypt', 'letsencrypt-staging'] as AcmeIssuer[]) {
        issuer(
          clusterIssuerName(acmeIssuer),
          acmeIssuerSpec(acmeIssuer, acme.email, solver),
          secrets,
        );
      }
    }

    if (args.localCa ?? args.issuer === 'local-ca') {
      const selfSigned = issuer(selfSignedIssuerName, { selfSigned: {} }, []);
      const root = new k8s.apiextensions.CustomResource(
        `${name}-local-ca-root`,
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: localCaSecretName, namespace: namespace.metadata.name, labels },
          spec: localCaCertificateSpec(`edgeplane ${args.environment} local CA`),
        },
        child([this.release, selfSigned]),
      );
      issuer(clusterIssuerName('local-ca'), { ca: { secretName: localCaSecretName } }, [root]);
    }

    this.clusterIssuerName = clusterIssuerName(args.issuer);
    const signer = this.issuers[this.clusterIssuerName];
    if (!signer) throw new Error(`${name}: no ClusterIssuer ${this.clusterIssuerName} was created`);
    this.ready = [this.release, signer];

    this.registerOutputs({
      clusterIssuerName: this.clusterIssuerName,
      namespace: this.namespace,
      issuers: Object.keys(this.issuers),
    });
  }
}

/** Fails before anything is registered when the chosen issuer cannot be built. */
function checkArgs(name: string, args: CertManagerArgs) {
  const { acmeEmail, dns01 } = args;
  if (args.issuer !== 'local-ca' && (!acmeEmail || !dns01)) {
    throw new Error(
      `${name}: the ${args.issuer} issuer needs acmeEmail (tls.email) and dns01 (the zone and its DNS provider)`,
    );
  }
  return acmeEmail && dns01 ? { email: acmeEmail, dns: dns01 } : undefined;
}
