// The k3s platform layer wired the way stacks/k3s wires it, from Pulumi.k3s-dev.yaml: k3s installed
// over SSH, the data namespace, cert-manager with the local CA, in-cluster Postgres and Redis.
// Nothing lands on the default provider, no secret reaches a plain input, every object is valid.
import * as pulumi from '@pulumi/pulumi';
import { type ConfigSource, loadStackConfig, type StackConfig } from '../../stacks/config.ts';
import {
  kubernetesObjects,
  validateKubernetesObjects,
} from '../../test/harness/kubernetes/index.ts';
import {
  placeholderSecrets,
  type RecordedResource,
  readStackConfig,
  secretLeaks,
} from '../../test/harness/pulumi/index.ts';
import { mockK3sKubeconfig } from '../../test/harness/pulumi/mock-state.ts';
import { InClusterRedis } from '../cache/incluster.ts';
import { InClusterPostgres } from '../database/incluster.ts';
import { namespaces } from '../namespaces.ts';
import { CertManager } from '../tls/cert-manager.ts';
import { dns01ForStack } from '../tls/dns01.ts';
import { K3sCluster } from './k3s.ts';
import { clusterNamespace } from './namespace.ts';
import { onDefaultProvider, recordProgram } from './testing.ts';

function k3sDevConfig(): StackConfig {
  const { values, secretKeys } = readStackConfig('k3s-dev', placeholderSecrets);
  const source: ConfigSource = {
    stack: 'k3s-dev',
    values,
    isSecret: (key) => secretKeys.includes(key),
    secret: (key) => pulumi.secret(values[`edgeplane:${key}`] as string),
  };
  return loadStackConfig(source);
}

/** The wiring the report hands to the lead for stacks/k3s/index.ts. */
function wirePlatform(config: StackConfig) {
  if (!config.k3s) throw new Error('k3s-dev has no k3s settings');
  const cluster = new K3sCluster('cluster', {
    region: config.homeRegion,
    k3s: config.k3s,
    clusterName: `edgeplane-${config.stack}`,
  });
  const dataNamespace = clusterNamespace('data-namespace', {
    cluster,
    name: namespaces.data,
    component: 'data',
    environment: config.environment,
  });
  const tls = new CertManager('tls', {
    cluster,
    environment: config.environment,
    issuer: config.tls.issuer,
    acmeEmail: config.tls.email,
    // On k3s only Cloudflare works for DNS-01 (no ambient AWS or GCP credentials).
    dns01: config.dns.provider === 'cloudflare' ? dns01ForStack(config.dns) : undefined,
    highlyAvailable: config.environment === 'prod',
  });
  const database = new InClusterPostgres('database', {
    cluster,
    namespace: dataNamespace.metadata.name,
    environment: config.environment,
    version: config.database.version,
    size: config.database.size,
    storageGb: config.database.storageGb,
    protect: config.database.protect,
  });
  const cache = new InClusterRedis('cache', {
    cluster,
    namespace: dataNamespace.metadata.name,
    environment: config.environment,
    size: config.cache.size,
    protect: config.database.protect,
  });
  return { cluster, tls, database, cache };
}

interface PodSpec {
  securityContext: { runAsNonRoot: boolean; seccompProfile: { type: string } };
  containers: {
    resources: { limits: { cpu: string; memory: string } };
    readinessProbe: unknown;
    livenessProbe: unknown;
    securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
  }[];
}

describe('k3s platform layer from k3s-dev', () => {
  let resources: RecordedResource[];

  beforeAll(async () => {
    const config = k3sDevConfig();
    resources = (await recordProgram(() => wirePlatform(config), 'k3s-dev')).resources;
  });

  it('registers what a platform engineer expects', () => {
    const kinds = kubernetesObjects(resources).map(
      (object) => `${object.kind}/${object.metadata?.name}`,
    );
    expect(kinds.sort()).toEqual([
      'Certificate/edgeplane-ca',
      'ClusterIssuer/edgeplane-local-ca',
      'ClusterIssuer/edgeplane-selfsigned',
      'Namespace/cert-manager',
      'Namespace/edgeplane-data',
      'NetworkPolicy/postgres',
      'NetworkPolicy/redis',
      'PodDisruptionBudget/postgres',
      'PodDisruptionBudget/redis',
      'Secret/postgres-credentials',
      'Secret/redis-config',
      'Service/postgres',
      'Service/redis',
      'StatefulSet/postgres',
      'StatefulSet/redis',
    ]);
    expect(resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release')).toHaveLength(1);
    // Config, install and uninstaller on each of the two hosts, and the kubeconfig read.
    expect(resources.filter((r) => r.type === 'command:remote:Command')).toHaveLength(7);
  });

  it('puts every Kubernetes resource on the one explicit provider built from the k3s kubeconfig', () => {
    expect(onDefaultProvider(resources)).toEqual([]);
    const providers = resources.filter((r) => r.type === 'pulumi:providers:kubernetes');
    expect(providers.map((provider) => provider.name)).toEqual(['cluster-k8s']);
    const reference = new Set(
      resources
        .filter((r) => r.type.startsWith('kubernetes:'))
        .map((r) => r.provider?.split('::').slice(0, -1).join('::')),
    );
    expect([...reference]).toEqual([providers[0]?.urn]);
  });

  it('keeps every secret out of plain inputs', () => {
    const secrets = [
      placeholderSecrets['edgeplane:k3sSshPrivateKey'] as string,
      'k3s-ssh-placeholder-key',
      'mock-password-cluster-token',
      'mock-password-database-password',
      'mock-password-cache-password',
      'bW9jay1rM3Mta2V5LXNlY3JldA==', // the client key inside the k3s kubeconfig
      mockK3sKubeconfig,
    ];
    expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, secrets)).toEqual([]);
  });

  it('renders only objects valid against the Kubernetes and cert-manager schemas', () => {
    const results = validateKubernetesObjects(kubernetesObjects(resources));
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
  });

  it('runs every workload with limits, probes and a restrictive security context', () => {
    const workloads = kubernetesObjects(resources).filter(
      (object) => object.kind === 'StatefulSet',
    );
    expect(workloads).toHaveLength(2);
    for (const workload of workloads) {
      const pod = (workload as unknown as { spec: { template: { spec: PodSpec } } }).spec.template
        .spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const container of pod.containers) {
        expect(container.resources.limits).toEqual({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
        expect(container.readinessProbe).toBeDefined();
        expect(container.livenessProbe).toBeDefined();
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
      }
    }
  });
});
