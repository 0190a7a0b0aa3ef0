// Renders the Cdn component under the recording Pulumi mocks with fake upstream outputs (cluster,
// Postgres, Redis, TLS, monitoring), for the tests beside it and in test/cdn-*.test.ts.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { type RecordedResource, ResourceRecorder } from '../../test/harness/pulumi/index.ts';
import type { CdnArgs, CdnRuntimeSettings, HomeRegion } from './args.ts';
import { Cdn } from './index.ts';

/** Secret values of the fake upstream outputs; none may reach a plain input. */
export const fakeSecrets = {
  kubeconfig: 'apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: kube-secret-0001}}]',
  postgresPassword: 'pg-secret-password-0002',
  redisPassword: 'redis-secret-password-0003',
  homeEdgeToken: 'edge-token-from-home-region-0004',
};

export const fakeRuntime: CdnRuntimeSettings = {
  image: 'registry.example.com/edgeplane/runtime:0.1.0',
  edgeReplicas: 2,
  originReplicas: 2,
  cacheMemoryMb: 256,
  edgeResources: { cpu: '500m', memory: '1Gi' },
  originResources: { cpu: '1', memory: '512Mi' },
};

export interface RenderedCdn {
  cdn: Cdn;
  resources: RecordedResource[];
  /** URN of the fake cluster's explicit Kubernetes provider. */
  providerUrn: string;
  /** URNs of the monitoring and TLS `ready` resources. */
  readyUrns: { monitoring: string; tls: string };
}

/** Stands in for an upstream component's `ready` resources (CRDs, the ClusterIssuer). */
class FakeUpstream extends pulumi.CustomResource {
  constructor(type: string, name: string) {
    super(type, name, {});
  }
}

const runtimeInternals = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

async function startRecording(stack: string, recorder = new ResourceRecorder()) {
  await pulumi.runtime.setMocks(recorder.mocks, 'edgeplane', stack, false);
  recorder.attach();
  return recorder;
}

/** What the cluster, TLS and monitoring components of one region would hand over. */
function fakeRegionUpstreams(region: string) {
  const provider = new k8s.Provider(region, {
    kubeconfig: pulumi.secret(fakeSecrets.kubeconfig),
  });
  // Custom resources: a component with no children would add no dependency at all.
  const monitoringCrds = new FakeUpstream('edgeplane:test:MonitoringCrds', `${region}-crds`);
  const issuer = new FakeUpstream('edgeplane:test:ClusterIssuer', `${region}-issuer`);
  const args: Pick<CdnArgs, 'cluster' | 'tls' | 'monitoring'> = {
    cluster: {
      name: pulumi.output(region),
      region,
      provider,
      kubeconfig: pulumi.secret(fakeSecrets.kubeconfig),
      storageClassName: 'local-path',
      ingressClassName: 'traefik',
    },
    tls: { clusterIssuerName: 'edgeplane-local-ca', ready: [issuer] },
    monitoring: {
      namespace: 'monitoring',
      selectorLabels: { release: 'kube-prometheus-stack' },
      otlpEndpoint: 'http://otel-collector.monitoring.svc:4318',
      ready: [monitoringCrds],
    },
  };
  return { args, provider, monitoringCrds, issuer };
}

/** The home region's in-cluster Postgres and Redis. */
export function fakeHomeRegion(): HomeRegion {
  return {
    role: 'home',
    postgres: {
      host: pulumi.output('postgres-rw.edgeplane-data.svc'),
      port: pulumi.output(5432),
      database: pulumi.output('edgeplane'),
      user: pulumi.output('edgeplane'),
      password: pulumi.secret(fakeSecrets.postgresPassword),
      sslMode: 'require',
    },
    redis: {
      host: pulumi.output('redis.edgeplane-data.svc'),
      port: pulumi.output(6379),
      password: pulumi.secret(fakeSecrets.redisPassword),
      tls: false,
    },
  };
}

const commonArgs = { runtime: fakeRuntime, domain: 'cdn.example.com', environment: 'dev' } as const;

const urnOf = (resource: pulumi.Resource) =>
  new Promise<string>((resolve) => resource.urn.apply(resolve));

/** One Cdn: a home region (cluster home-lab) or an edge-only one (eu-lab) following a fake home. */
export async function renderCdn(
  role: 'home' | 'edge-only',
  overrides: Partial<CdnArgs> = {},
  /** Pass one to see what was registered even when the component throws. */
  recorder?: ResourceRecorder,
): Promise<RenderedCdn> {
  const recording = await startRecording(`cdn-${role}`, recorder);
  const upstreams = fakeRegionUpstreams(role === 'home' ? 'home-lab' : 'eu-lab');
  const region: CdnArgs['region'] =
    role === 'home'
      ? fakeHomeRegion()
      : {
          role: 'edge-only',
          homeOrigin: {
            url: 'https://api.cdn.example.com',
            edgeToken: pulumi.secret(fakeSecrets.homeEdgeToken),
          },
        };
  const cdn = new Cdn('cdn', { ...upstreams.args, region, ...commonArgs, ...overrides });
  await runtimeInternals.waitForRPCs();
  return {
    cdn,
    resources: recording.resources,
    providerUrn: await urnOf(upstreams.provider),
    readyUrns: {
      monitoring: await urnOf(upstreams.monitoringCrds),
      tls: await urnOf(upstreams.issuer),
    },
  };
}

/** A stack with two regions, wired as a stack does: the edge-only region follows the home Cdn. */
export async function renderTwoRegions() {
  const recorder = await startRecording('cdn-two-regions');
  const home = new Cdn('home-lab', {
    ...fakeRegionUpstreams('home-lab').args,
    region: fakeHomeRegion(),
    ...commonArgs,
  });
  if (!home.homeOrigin) throw new Error('a home Cdn hands over its origin');
  const edge = new Cdn('eu-lab', {
    ...fakeRegionUpstreams('eu-lab').args,
    region: { role: 'edge-only', homeOrigin: home.homeOrigin },
    ...commonArgs,
  });
  await runtimeInternals.waitForRPCs();
  return { home, edge, resources: recorder.resources };
}

/** The recorded resources of one Kubernetes kind (by Pulumi type suffix, e.g. `apps/v1:Deployment`). */
export function ofType(resources: readonly RecordedResource[], suffix: string): RecordedResource[] {
  return resources.filter((resource) => resource.type === `kubernetes:${suffix}`);
}

/** The object's name in Kubernetes (`metadata.name`); Pulumi names carry the Cdn's name in front. */
export function kubernetesName(resource: RecordedResource): string {
  return (resource.inputs.metadata as { name: string }).name;
}

/** Resolves an Output in a test. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
