// Hand-built workloads for the Kubernetes policy tests: a compliant Deployment, and ways to break it.
import { resource } from '../lib/testing.ts';

export function compliantContainer(name = 'app'): Record<string, unknown> {
  return {
    name,
    image: 'example/app:1.0',
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '200m', memory: '128Mi' },
    },
    livenessProbe: { httpGet: { path: '/livez', port: 9090 } },
    readinessProbe: { httpGet: { path: '/readyz', port: 9090 } },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    },
  };
}

export function podSpec(
  containers: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) {
  return { securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers, ...extra };
}

export function deployment(
  spec: Record<string, unknown> = podSpec([compliantContainer()]),
  replicas = 2,
) {
  return resource('kubernetes:apps/v1:Deployment', {
    metadata: { name: 'app', namespace: 'edgeplane' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'app' } },
      template: { metadata: { labels: { app: 'app' } }, spec },
    },
  });
}

export function cronJob(spec: Record<string, unknown>) {
  return resource('kubernetes:batch/v1:CronJob', {
    metadata: { name: 'nightly', namespace: 'edgeplane' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec } } } },
  });
}

/** A container with one field changed (`securityContext.privileged` paths allowed). */
export function containerWith(path: string, value: unknown): Record<string, unknown> {
  const container = compliantContainer();
  const keys = path.split('.');
  let target: Record<string, unknown> = container;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return container;
}
