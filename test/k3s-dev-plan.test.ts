// The whole k3s-dev plan, as `pulumi preview` would register it: the complete CDN on one k3s
// cluster. Nothing on the default provider, hardened workloads, secrets kept secret, every object
// valid against the Kubernetes schema, and the objects a platform engineer expects all there.
import { kubernetesObjects, validateKubernetesObjects } from './harness/kubernetes/index.ts';
import { type Plan, placeholderSecrets, planStack, secretLeaks } from './harness/pulumi/index.ts';
import { mockK3sKubeconfig } from './harness/pulumi/mock-state.ts';

interface Container {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
  containers: Container[];
  volumes?: { hostPath?: unknown }[];
}

let plan: Plan;
beforeAll(async () => {
  plan = await planStack('k3s-dev');
});

const objects = () => kubernetesObjects(plan.resources);
const named = () => objects().map((object) => `${object.kind}/${object.metadata?.name}`);

describe('k3s-dev plan', () => {
  it('has every object a platform engineer expects', () => {
    expect(named()).toEqual(
      expect.arrayContaining([
        // runtime
        'Namespace/edgeplane',
        'Deployment/edgeplane-edge',
        'Deployment/edgeplane-origin',
        'HorizontalPodAutoscaler/edgeplane-edge',
        'PodDisruptionBudget/edgeplane-edge',
        'PodDisruptionBudget/edgeplane-origin',
        'Service/edgeplane-edge',
        'Service/edgeplane-origin',
        'ServiceMonitor/edgeplane-edge',
        'ServiceMonitor/edgeplane-origin',
        'Ingress/edgeplane',
        'NetworkPolicy/default-deny',
        'Secret/edgeplane-origin-credentials',
        // data
        'Namespace/edgeplane-data',
        'StatefulSet/postgres',
        'StatefulSet/redis',
        'NetworkPolicy/postgres',
        'NetworkPolicy/redis',
        // TLS
        'Namespace/cert-manager',
        'ClusterIssuer/edgeplane-local-ca',
        // monitoring
        'Namespace/monitoring',
        'PrometheusRule/edgeplane-runtime',
      ]),
    );
    const releases = plan.resources
      .filter((resource) => resource.type === 'kubernetes:helm.sh/v3:Release')
      .map((resource) => resource.inputs.chart);
    expect(releases.sort()).toEqual([
      'alloy',
      'cert-manager',
      'kube-prometheus-stack',
      'loki',
      'opentelemetry-collector',
    ]);
    expect(named().filter((name) => name.startsWith('NetworkPolicy/')).length).toBeGreaterThan(5);
  });

  it('puts nothing on the default Kubernetes provider, and everything on the k3s cluster', () => {
    const kubernetes = plan.resources.filter(
      (resource) => resource.custom && resource.type.startsWith('kubernetes:'),
    );
    expect(kubernetes.length).toBeGreaterThan(30);
    expect(kubernetes.filter((resource) => !resource.provider)).toEqual([]);
    const providers = plan.resources.filter(
      (resource) => resource.type === 'pulumi:providers:kubernetes',
    );
    expect(providers).toHaveLength(1);
    const used = new Set(
      kubernetes.map((resource) => resource.provider?.split('::').slice(0, -1).join('::')),
    );
    expect([...used]).toEqual([providers[0]?.urn]);
  });

  it('parents every resource under the stack component, except the providers it hands down', () => {
    const roots = plan.resources.filter((resource) => !resource.parent);
    // Providers of packages with no settings, created before the stack component that hands them down.
    expect(roots.map((resource) => `${resource.type} ${resource.name}`)).toEqual([
      'pulumi:providers:random k3s-dev-random',
      'pulumi:providers:command k3s-dev-command',
      'edgeplane:stack:K3s k3s-dev',
    ]);
  });

  it('runs every workload with limits, probes and a restrictive security context', () => {
    const workloads = objects().filter((object) =>
      ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind),
    );
    expect(workloads.length).toBeGreaterThanOrEqual(4);
    for (const workload of workloads) {
      const pod = (workload as unknown as { spec: { template: { spec: PodSpec } } }).spec.template
        .spec;
      const where = `${workload.kind}/${workload.metadata?.name}`;
      expect({ where, pod: pod.securityContext }).toMatchObject({
        where,
        pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      });
      expect({ where, hostPath: (pod.volumes ?? []).filter((volume) => volume.hostPath) }).toEqual({
        where,
        hostPath: [],
      });
      for (const container of pod.containers) {
        const label = `${where} ${container.name}`;
        expect({ label, limits: container.resources?.limits }).toEqual({
          label,
          limits: expect.objectContaining({ memory: expect.any(String) }),
        });
        expect({
          label,
          readiness: !!container.readinessProbe,
          liveness: !!container.livenessProbe,
        }).toEqual({
          label,
          readiness: true,
          liveness: true,
        });
        expect({ label, security: container.securityContext }).toMatchObject({
          label,
          security: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
        });
        expect(container.securityContext?.privileged ?? false).toBe(false);
      }
    }
  });

  it('keeps every secret secret: config secrets, generated passwords, the kubeconfig', () => {
    const secrets = [
      ...Object.values(placeholderSecrets),
      mockK3sKubeconfig,
      'bW9jay1rM3Mta2V5LXNlY3JldA==',
      ...plan.resources
        .filter((resource) => resource.type === 'random:index/randomPassword:RandomPassword')
        .map((resource) => `mock-password-${resource.name}`),
    ];
    expect(secretLeaks(plan, secrets)).toEqual([]);
    expect(plan.secretOutputs).toEqual(['grafanaAdminPassword', 'kubeconfig']);
  });

  it('renders only objects valid against the Kubernetes schema', () => {
    const results = validateKubernetesObjects(objects());
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
    expect(results.length).toBe(objects().length);
  });

  it('exports where to reach the CDN', () => {
    expect(plan.outputs).toMatchObject({
      edgeHostname: 'cdn.dev.example.com',
      apiUrl: 'https://api.cdn.dev.example.com',
      dashboardUrl: 'https://dashboard.cdn.dev.example.com',
    });
  });
});
