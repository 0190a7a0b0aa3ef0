// The per-container workload policies: a compliant workload passes each, a broken one fails it,
// and missing or unknown values never crash a policy.
import { unknownValue, violationsInPlan, violationsOf } from '../lib/testing.ts';
import { k8sNoHostPath } from './k8s-no-host-path.ts';
import { k8sNoPrivileged } from './k8s-no-privileged.ts';
import { k8sProbes } from './k8s-probes.ts';
import { k8sReadOnlyRootFilesystem } from './k8s-read-only-root-filesystem.ts';
import { k8sResourceLimits } from './k8s-resource-limits.ts';
import { k8sRunAsNonRoot } from './k8s-run-as-non-root.ts';
import { workloadPolicies } from './k8s-workloads.ts';
import {
  compliantContainer,
  containerWith,
  cronJob,
  deployment,
  podSpec,
} from './workload-fixtures.ts';

const messages = async (policy: (typeof workloadPolicies)[number], spec: Record<string, unknown>) =>
  (await violationsOf(policy, deployment(spec))).map((violation) => violation.message);

describe('Kubernetes workload policies', () => {
  it.each(workloadPolicies.map((policy) => [policy.name, policy] as const))(
    '%s passes a compliant Deployment and the example stacks, and tolerates missing or unknown values',
    async (_name, policy) => {
      expect(await violationsOf(policy, deployment())).toEqual([]);
      expect(await violationsOf(policy, deployment({}))).toEqual([]);
      expect(await violationsOf(policy, deployment(unknownValue as never))).toEqual([]);
      expect(await violationsOf(policy, deployment(podSpec(unknownValue as never)))).toEqual([]);
      // k3s-dev runs every kind of workload edgeplane has (runtime, in-cluster stores, Jaeger).
      expect(await violationsInPlan(policy, 'k3s-dev')).toEqual([]);
    },
  );

  it('k8s-resource-limits wants CPU and memory limits and requests on every container', async () => {
    expect(
      await messages(k8sResourceLimits, podSpec([containerWith('resources.limits', { cpu: '1' })])),
    ).toEqual(['edgeplane/app: container "app" sets no resources.limits.memory']);
    const [violation] = await violationsOf(
      k8sResourceLimits,
      cronJob(podSpec([compliantContainer()], { initContainers: [{ name: 'migrate' }] })),
    );
    expect(violation).toMatchObject({ enforcementLevel: 'mandatory' });
    expect(violation?.message).toBe(
      'edgeplane/nightly: init container "migrate" sets no resources.limits.cpu',
    );
  });

  it('k8s-probes wants liveness and readiness on long-running containers only', async () => {
    expect(
      await messages(k8sProbes, podSpec([containerWith('readinessProbe', undefined)])),
    ).toEqual(['edgeplane/app: container "app" has no readinessProbe']);
    expect(
      await violationsOf(k8sProbes, cronJob(podSpec([containerWith('livenessProbe', undefined)]))),
    ).toEqual([]);
  });

  it('k8s-run-as-non-root takes the container setting over the pod one and refuses user 0', async () => {
    expect(
      await messages(
        k8sRunAsNonRoot,
        podSpec([containerWith('securityContext.runAsNonRoot', false)]),
      ),
    ).toEqual(['edgeplane/app: container "app" does not set runAsNonRoot: true']);
    expect(
      await messages(k8sRunAsNonRoot, podSpec([containerWith('securityContext.runAsUser', 0)])),
    ).toEqual(['edgeplane/app: container "app" runs as user 0 (root)']);
    const inherits = containerWith('securityContext.runAsNonRoot', undefined);
    expect(await messages(k8sRunAsNonRoot, podSpec([inherits]))).toEqual([]);
    expect(await messages(k8sRunAsNonRoot, { containers: [inherits] })).toEqual([
      'edgeplane/app: container "app" does not set runAsNonRoot: true',
    ]);
  });

  it('k8s-read-only-root-filesystem wants readOnlyRootFilesystem: true', async () => {
    expect(
      await messages(
        k8sReadOnlyRootFilesystem,
        podSpec([containerWith('securityContext.readOnlyRootFilesystem', undefined)]),
      ),
    ).toEqual(['edgeplane/app: container "app" does not set readOnlyRootFilesystem: true']);
  });

  it('k8s-no-privileged refuses privileged, escalation left on, root-like capabilities and host namespaces', async () => {
    expect(
      await messages(k8sNoPrivileged, podSpec([containerWith('securityContext.privileged', true)])),
    ).toEqual(['edgeplane/app: container "app" is privileged']);
    expect(
      await messages(
        k8sNoPrivileged,
        podSpec([containerWith('securityContext.allowPrivilegeEscalation', undefined)]),
      ),
    ).toEqual(['edgeplane/app: container "app" does not set allowPrivilegeEscalation: false']);
    expect(
      await messages(
        k8sNoPrivileged,
        podSpec([containerWith('securityContext.capabilities', { add: ['sys_admin'] })]),
      ),
    ).toEqual(['edgeplane/app: container "app" adds capability sys_admin']);
    expect(
      await messages(k8sNoPrivileged, podSpec([compliantContainer()], { hostNetwork: true })),
    ).toEqual(['edgeplane/app: the pod uses hostNetwork']);
  });

  it('k8s-no-host-path refuses hostPath volumes', async () => {
    const volumes = [
      { name: 'cache', emptyDir: {} },
      { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
    ];
    expect(await messages(k8sNoHostPath, podSpec([compliantContainer()], { volumes }))).toEqual([
      'edgeplane/app: volume "docker" is a hostPath (/var/run/docker.sock)',
    ]);
  });
});
