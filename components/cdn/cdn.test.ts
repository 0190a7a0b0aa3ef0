// The Cdn component under the recording mocks with fake upstream outputs: where its resources
// go, what the workloads run with, where the credentials live, and home vs edge-only regions.
import * as pulumi from '@pulumi/pulumi';
import {
  edgeNodeOptions,
  envNames,
  managementPaths,
  ports,
  secretEnvNames,
} from '../../runtime/contract.ts';
import type { RecordedResource } from '../../test/harness/pulumi/index.ts';
import { secretLeaks } from '../../test/harness/pulumi/index.ts';
import { namespaces } from '../namespaces.ts';
import {
  fakeHomeRegion,
  fakeRuntime,
  fakeSecrets,
  kubernetesName,
  ofType,
  type RenderedCdn,
  renderCdn,
  renderTwoRegions,
  resolved,
} from './testing.ts';

interface Container {
  name: string;
  env: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string } };
  }[];
  ports: { name: string; containerPort: number }[];
  startupProbe: { httpGet: { path: string; port: number } };
  livenessProbe: { httpGet: { path: string; port: number } };
  readinessProbe: { httpGet: { path: string; port: number } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext: Record<string, unknown>;
  volumes: { name: string; emptyDir?: { sizeLimit?: string } }[];
  automountServiceAccountToken: boolean;
  topologySpreadConstraints: { topologyKey: string; labelSelector: unknown }[];
}

const podSpec = (deployment: RecordedResource) =>
  (deployment.inputs.spec as { template: { spec: PodSpec } }).template.spec;
const onlyContainer = (deployment: RecordedResource) => {
  const containers = podSpec(deployment).containers;
  expect(containers).toHaveLength(1);
  return containers[0] as Container;
};
const named = (resources: RecordedResource[], suffix: string, name: string) => {
  const found = ofType(resources, suffix).find((resource) => kubernetesName(resource) === name);
  if (!found) throw new Error(`no ${suffix} named ${name}`);
  return found;
};
const allSecretValues = [
  ...Object.values(fakeSecrets),
  // What the mocked @pulumi/random answers for the generated edge token.
  'mock-password-cdn-edge-token',
];

describe.each(['home', 'edge-only'] as const)('Cdn in a %s region', (role) => {
  let rendered: RenderedCdn;
  beforeAll(async () => {
    rendered = await renderCdn(role);
  });

  it('puts every Kubernetes resource on the cluster provider, under the component, in its namespace', () => {
    const component = rendered.resources.find((resource) => resource.type === 'edgeplane:cdn:Cdn');
    const kubernetes = rendered.resources.filter(
      (resource) => resource.custom && resource.type.startsWith('kubernetes:'),
    );
    expect(kubernetes.length).toBeGreaterThanOrEqual(role === 'home' ? 20 : 14);
    for (const resource of kubernetes) {
      expect({ name: resource.name, provider: resource.provider }).toEqual({
        name: resource.name,
        provider: `${rendered.providerUrn}::${role === 'home' ? 'home-lab' : 'eu-lab'}-id`,
      });
      expect(resource.parent).toBe(component?.urn);
      const metadata = resource.inputs.metadata as { namespace?: string; name: string };
      if (resource.type === 'kubernetes:core/v1:Namespace') {
        expect(metadata.name).toBe(namespaces.cdn);
      } else {
        expect({ name: resource.name, namespace: metadata.namespace }).toEqual({
          name: resource.name,
          namespace: namespaces.cdn,
        });
      }
    }
  });

  it('labels everything with the standard labels', () => {
    for (const resource of rendered.resources.filter((r) => r.type.startsWith('kubernetes:'))) {
      const labels = (resource.inputs.metadata as { labels?: Record<string, string> }).labels;
      expect({ name: `${resource.type} ${resource.name}`, labels }).toEqual({
        name: `${resource.type} ${resource.name}`,
        labels: expect.objectContaining({
          'app.kubernetes.io/part-of': 'edgeplane',
          'app.kubernetes.io/managed-by': 'pulumi',
          'edgeplane.dev/environment': 'dev',
        }),
      });
    }
  });

  it('enforces the restricted Pod Security Standard on the namespace', () => {
    const namespace = named(rendered.resources, 'core/v1:Namespace', namespaces.cdn);
    expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('runs every workload with limits, contract probes and a restrictive securityContext', () => {
    const deployments = ofType(rendered.resources, 'apps/v1:Deployment');
    expect(deployments.map(kubernetesName).sort()).toEqual(
      role === 'home' ? ['edgeplane-edge', 'edgeplane-origin'] : ['edgeplane-edge'],
    );
    for (const deployment of deployments) {
      const pod = podSpec(deployment);
      const container = onlyContainer(deployment);
      expect(container.resources.limits).toEqual({
        cpu: expect.stringMatching(/^\d+m$/),
        memory: expect.stringMatching(/^\d+(Mi|Gi)$/),
      });
      expect(container.resources.requests).toEqual({
        cpu: expect.any(String),
        memory: container.resources.limits.memory,
      });
      expect(container.livenessProbe.httpGet).toEqual({
        path: managementPaths.liveness,
        port: ports.management,
      });
      expect(container.startupProbe.httpGet).toEqual({
        path: managementPaths.liveness,
        port: ports.management,
      });
      expect(container.readinessProbe.httpGet).toEqual({
        path: managementPaths.readiness,
        port: ports.management,
      });
      expect(container.ports.map((port) => port.containerPort).sort()).toEqual(
        [ports.traffic, ports.management].sort(),
      );
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      const spec = deployment.inputs.spec as {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
      expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
      // The only writable paths are emptyDirs with a size limit.
      const mounts = container.volumeMounts.map((mount) => mount.mountPath);
      expect(mounts).toContain('/tmp');
      for (const volume of pod.volumes) {
        expect(volume.emptyDir?.sizeLimit).toMatch(/^\d+Mi$/);
      }
      expect(pod.topologySpreadConstraints.map((c) => c.topologyKey).sort()).toEqual([
        'kubernetes.io/hostname',
        'topology.kubernetes.io/zone',
      ]);
    }
  });

  it('sets only environment variables the contract declares, credentials only from Secrets', () => {
    const declared = new Set<string>([...Object.values(envNames), edgeNodeOptions.name]);
    for (const deployment of ofType(rendered.resources, 'apps/v1:Deployment')) {
      const container = onlyContainer(deployment);
      for (const variable of container.env) {
        expect(declared).toContain(variable.name);
        if ((secretEnvNames as readonly string[]).includes(variable.name)) {
          expect(variable.value).toBeUndefined();
          expect(variable.valueFrom?.secretKeyRef).toEqual({
            name: `${kubernetesName(deployment)}-credentials`,
            key: variable.name,
          });
        }
      }
      const names = container.env.map((variable) => variable.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('keeps credentials in Secrets whose data are secret, and no secret in a plain input', async () => {
    for (const secret of ofType(rendered.resources, 'core/v1:Secret')) {
      expect(secret.secretInputPaths).toContain('stringData');
      const keys = Object.keys(secret.inputs.stringData as object);
      expect(keys.every((key) => (secretEnvNames as readonly string[]).includes(key))).toBe(true);
    }
    // A secret Output inside a Deployment would make its whole spec secret and its value
    // readable by anyone who can read Deployments: nothing but Secrets may hold one.
    for (const resource of rendered.resources.filter((r) => r.type.startsWith('kubernetes:'))) {
      if (resource.type === 'kubernetes:core/v1:Secret') continue;
      expect({ resource: resource.name, secretInputPaths: resource.secretInputPaths }).toEqual({
        resource: resource.name,
        secretInputPaths: [],
      });
    }
    const leaks = secretLeaks(
      { resources: rendered.resources, outputs: {}, secretOutputs: [] },
      allSecretValues,
    );
    expect(leaks).toEqual([]);
  });

  it('autoscales the edge with autoscaling/v2 on CPU from the configured replicas', () => {
    const hpa = named(
      rendered.resources,
      'autoscaling/v2:HorizontalPodAutoscaler',
      'edgeplane-edge',
    );
    expect(hpa.inputs.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'edgeplane-edge' },
      minReplicas: fakeRuntime.edgeReplicas,
      maxReplicas: fakeRuntime.edgeReplicas * 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu' } }],
    });
    // The autoscaler owns the edge's replica count.
    const edge = named(rendered.resources, 'apps/v1:Deployment', 'edgeplane-edge');
    expect((edge.inputs.spec as { replicas?: number }).replicas).toBeUndefined();
    expect(ofType(rendered.resources, 'autoscaling/v2:HorizontalPodAutoscaler')).toHaveLength(1);
  });

  it('has a disruption budget per workload that always allows one eviction', () => {
    const budgets = ofType(rendered.resources, 'policy/v1:PodDisruptionBudget');
    const deployments = ofType(rendered.resources, 'apps/v1:Deployment');
    expect(budgets.map(kubernetesName).sort()).toEqual(deployments.map(kubernetesName).sort());
    for (const budget of budgets) {
      const spec = budget.inputs.spec as { maxUnavailable: number; minAvailable?: number };
      expect(spec.maxUnavailable).toBe(1);
      expect(spec.minAvailable).toBeUndefined();
      const deployment = named(rendered.resources, 'apps/v1:Deployment', kubernetesName(budget));
      expect((budget.inputs.spec as { selector: unknown }).selector).toEqual(
        (deployment.inputs.spec as { selector: unknown }).selector,
      );
    }
  });

  it('scrapes the management port metrics path with ServiceMonitors Prometheus selects, after the CRDs', () => {
    const monitors = ofType(rendered.resources, 'monitoring.coreos.com/v1:ServiceMonitor');
    expect(monitors.map(kubernetesName).sort()).toEqual(
      ofType(rendered.resources, 'apps/v1:Deployment').map(kubernetesName).sort(),
    );
    for (const monitor of monitors) {
      expect((monitor.inputs.metadata as { labels: object }).labels).toMatchObject({
        release: 'kube-prometheus-stack',
      });
      const spec = monitor.inputs.spec as {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      };
      expect(spec.endpoints).toEqual([
        expect.objectContaining({ port: 'management', path: managementPaths.metrics }),
      ]);
      // The Service it selects serves `management` on the contract's port.
      const service = named(rendered.resources, 'core/v1:Service', kubernetesName(monitor));
      const serviceSpec = service.inputs.spec as {
        selector: object;
        ports: { name: string; port: number }[];
      };
      const serviceLabels = (service.inputs.metadata as { labels: Record<string, string> }).labels;
      expect(serviceLabels).toMatchObject(spec.selector.matchLabels);
      expect(serviceSpec.ports).toContainEqual(
        expect.objectContaining({ name: 'management', port: ports.management }),
      );
      expect(monitor.dependencies).toContain(rendered.readyUrns.monitoring);
    }
  });

  it('serves the CDN hostnames through one Ingress with TLS from the ClusterIssuer', () => {
    const ingress = named(rendered.resources, 'networking.k8s.io/v1:Ingress', 'edgeplane');
    const metadata = ingress.inputs.metadata as { annotations: Record<string, string> };
    expect(metadata.annotations['cert-manager.io/cluster-issuer']).toBe('edgeplane-local-ca');
    const spec = ingress.inputs.spec as {
      ingressClassName: string;
      tls: { hosts: string[]; secretName: string }[];
      rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[];
      defaultBackend: { service: { name: string; port: { number: number } } };
    };
    expect(spec.ingressClassName).toBe('traefik');
    const routes = Object.fromEntries(
      spec.rules.map((rule) => [rule.host, rule.http.paths[0]?.backend.service.name]),
    );
    const expected: Record<string, string> =
      role === 'home'
        ? {
            'cdn.example.com': 'edgeplane-edge',
            'api.cdn.example.com': 'edgeplane-origin',
            'dashboard.cdn.example.com': 'edgeplane-origin',
          }
        : { 'cdn.example.com': 'edgeplane-edge' };
    expect(routes).toEqual(expected);
    expect(spec.tls).toEqual([{ hosts: Object.keys(expected), secretName: 'edgeplane-tls' }]);
    // Tenants' own hostnames reach the edge, which knows sites by Host.
    expect(spec.defaultBackend.service).toEqual({
      name: 'edgeplane-edge',
      port: { number: ports.traffic },
    });
    expect(ingress.dependencies).toContain(rendered.readyUrns.tls);
  });
});

describe('home region vs edge-only region', () => {
  const envOf = (rendered: RenderedCdn, name: string) =>
    Object.fromEntries(
      onlyContainer(named(rendered.resources, 'apps/v1:Deployment', name)).env.map((variable) => [
        variable.name,
        variable.value ?? variable.valueFrom?.secretKeyRef?.key,
      ]),
    );

  it('home: generates the edge token, points edges at the in-cluster origin, exports the public origin', async () => {
    const rendered = await renderCdn('home');
    expect(
      rendered.resources
        .filter((r) => r.type === 'random:index/randomPassword:RandomPassword')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['cdn-edge-token', 'cdn-purge-token']);
    expect(envOf(rendered, 'edgeplane-edge')[envNames.originUrl]).toBe(
      `http://edgeplane-origin.edgeplane.svc:${ports.traffic}`,
    );
    const origin = envOf(rendered, 'edgeplane-origin');
    expect(origin[envNames.role]).toBe('origin');
    // The edge's young generation is set where V8 reads it, before the process runs.
    expect(envOf(rendered, 'edgeplane-edge')[edgeNodeOptions.name]).toBe('--max-semi-space-size=8');
    expect(origin).not.toHaveProperty(edgeNodeOptions.name);
    expect(Object.keys(origin)).toEqual(
      expect.arrayContaining([envNames.databaseUrl, envNames.redisUrl, envNames.edgeToken]),
    );
    const originSecret = named(
      rendered.resources,
      'core/v1:Secret',
      'edgeplane-origin-credentials',
    );
    expect(originSecret.inputs.stringData).toEqual({
      [envNames.databaseUrl]: `postgres://edgeplane:${fakeSecrets.postgresPassword}@postgres-rw.edgeplane-data.svc:5432/edgeplane?sslmode=require`,
      [envNames.redisUrl]: `redis://:${fakeSecrets.redisPassword}@redis.edgeplane-data.svc:6379`,
      [envNames.edgeToken]: 'mock-password-cdn-edge-token',
    });
    const edgeSecret = named(rendered.resources, 'core/v1:Secret', 'edgeplane-edge-credentials');
    expect(edgeSecret.inputs.stringData).toEqual({
      [envNames.edgeToken]: 'mock-password-cdn-edge-token',
      [envNames.purgeToken]: 'mock-password-cdn-purge-token',
    });
    // The origin reaches the data stores on the ports their endpoints report.
    const originEgress = named(
      rendered.resources,
      'networking.k8s.io/v1:NetworkPolicy',
      'origin-allow-egress',
    ).inputs.spec as { egress: { to: unknown[]; ports: { port: number }[] }[] };
    expect(originEgress.egress[0]).toEqual({
      to: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edgeplane-data' } } },
      ],
      ports: [
        { protocol: 'TCP', port: 5432 },
        { protocol: 'TCP', port: 6379 },
      ],
    });
    const telemetry = named(
      rendered.resources,
      'networking.k8s.io/v1:NetworkPolicy',
      'allow-telemetry-export',
    ).inputs.spec as { egress: { ports: { port: number }[] }[] };
    expect(telemetry.egress[0]?.ports).toEqual([{ protocol: 'TCP', port: 4318 }]);

    const home = rendered.cdn.homeOrigin;
    expect(home?.url).toBe('https://api.cdn.example.com');
    expect(await pulumi.isSecret(home?.edgeToken as pulumi.Output<string>)).toBe(true);
    expect(await resolved(home?.edgeToken as pulumi.Output<string>)).toBe(
      'mock-password-cdn-edge-token',
    );
    expect(rendered.cdn.hostnames).toEqual({
      edge: 'cdn.example.com',
      api: 'api.cdn.example.com',
      dashboard: 'dashboard.cdn.example.com',
    });
  });

  it('edge-only: runs edges that follow the home origin with the home token, and nothing else', async () => {
    const rendered = await renderCdn('edge-only');
    // Only the region's own purge token: the edge token comes from the home region.
    expect(
      rendered.resources.filter((r) => r.type.startsWith('random:')).map((r) => r.name),
    ).toEqual(['cdn-purge-token']);
    expect(
      rendered.resources.some((r) => r.name.includes('origin') || r.type.includes('origin')),
    ).toBe(false);
    const edge = envOf(rendered, 'edgeplane-edge');
    expect(edge[envNames.originUrl]).toBe('https://api.cdn.example.com');
    expect(edge[envNames.region]).toBe('eu-lab');
    const edgeSecret = named(rendered.resources, 'core/v1:Secret', 'edgeplane-edge-credentials');
    expect(edgeSecret.inputs.stringData).toEqual({
      [envNames.edgeToken]: fakeSecrets.homeEdgeToken,
      [envNames.purgeToken]: 'mock-password-cdn-purge-token',
    });
    expect(edgeSecret.secretInputPaths).toEqual(['stringData']);
    expect(rendered.cdn.homeOrigin).toBeUndefined();
  });

  it('runs one edge worker per whole core of the CPU limit (twice the request), at least one', async () => {
    const workers = async (cpu: string) =>
      envOf(
        await renderCdn('home', {
          runtime: { ...fakeRuntime, edgeResources: { ...fakeRuntime.edgeResources, cpu } },
        }),
        'edgeplane-edge',
      )[envNames.edgeWorkers];
    expect(await workers('250m')).toBe('1');
    expect(await workers('500m')).toBe('1');
    expect(await workers('1')).toBe('2');
    expect(await workers('1500m')).toBe('3');
  });

  it('takes the cache sizes and turns the disk tier off at 0', async () => {
    const withDisk = envOf(await renderCdn('home'), 'edgeplane-edge');
    expect(withDisk).toMatchObject({
      [envNames.cacheMemoryMb]: '256',
      [envNames.cacheDiskMb]: '1024',
      [envNames.cacheDiskPath]: '/var/cache/edgeplane',
    });
    const rendered = await renderCdn('home', { runtime: { ...fakeRuntime, cacheDiskMb: 0 } });
    const withoutDisk = envOf(rendered, 'edgeplane-edge');
    expect(withoutDisk[envNames.cacheDiskMb]).toBe('0');
    expect(withoutDisk[envNames.cacheDiskPath]).toBeUndefined();
    const pod = podSpec(named(rendered.resources, 'apps/v1:Deployment', 'edgeplane-edge'));
    expect(pod.volumes.map((volume) => volume.name)).toEqual(['tmp']);
  });
});

describe('a stack with several regions', () => {
  it('holds one Cdn per cluster without a clash, the edge-only one following the home origin', async () => {
    const { home, edge, resources } = await renderTwoRegions();
    const urns = resources.map((resource) => resource.urn);
    expect(new Set(urns).size).toBe(urns.length);
    const edgeSecrets = resources.filter(
      (resource) =>
        resource.type === 'kubernetes:core/v1:Secret' &&
        kubernetesName(resource) === 'edgeplane-edge-credentials',
    );
    // Both regions' edges present the one token the home region generated.
    expect(edgeSecrets.map((secret) => secret.inputs.stringData)).toEqual([
      {
        [envNames.edgeToken]: 'mock-password-home-lab-edge-token',
        [envNames.purgeToken]: 'mock-password-home-lab-purge-token',
      },
      {
        [envNames.edgeToken]: 'mock-password-home-lab-edge-token',
        [envNames.purgeToken]: 'mock-password-eu-lab-purge-token',
      },
    ]);
    for (const secret of edgeSecrets) expect(secret.secretInputPaths).toEqual(['stringData']);
    expect(home.homeOrigin?.url).toBe('https://api.cdn.example.com');
    expect(edge.homeOrigin).toBeUndefined();
    // Each region's objects are on that region's cluster.
    const providers = new Set(
      resources.filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.provider),
    );
    expect([...providers].sort()).toEqual([
      expect.stringContaining('pulumi:providers:kubernetes::eu-lab::eu-lab-id'),
      expect.stringContaining('pulumi:providers:kubernetes::home-lab::home-lab-id'),
    ]);
  });
});

describe('credential changes', () => {
  const checksums = async (rendered: RenderedCdn) =>
    Object.fromEntries(
      ofType(rendered.resources, 'apps/v1:Deployment').map((deployment) => [
        kubernetesName(deployment),
        (
          deployment.inputs.spec as {
            template: { metadata: { annotations: Record<string, string> } };
          }
        ).template.metadata.annotations['edgeplane.dev/credentials-checksum'],
      ]),
    );

  it('roll the pods of the role whose credentials changed, and only those', async () => {
    const before = await checksums(await renderCdn('home'));
    expect(before['edgeplane-edge']).toMatch(/^[0-9a-f]{16}$/);
    expect(before['edgeplane-origin']).toMatch(/^[0-9a-f]{16}$/);
    const home = fakeHomeRegion();
    const after = await checksums(
      await renderCdn('home', {
        region: {
          ...home,
          postgres: { ...home.postgres, password: pulumi.secret('rotated-password-0005') },
        },
      }),
    );
    expect(after['edgeplane-edge']).toBe(before['edgeplane-edge']);
    expect(after['edgeplane-origin']).not.toBe(before['edgeplane-origin']);
  });
});
