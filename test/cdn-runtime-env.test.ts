// The manifests and the process cannot drift: the edge and origin containers' environment, taken
// from the rendered Deployments (Secret references resolved from the rendered Secrets), is parsed
// by the contract and given to the real runtime entry point.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderCdn } from '../components/cdn/testing.ts';
import { envNames, parseRuntimeEnv, ports } from '../runtime/contract.ts';
import type { RecordedResource } from './harness/pulumi/index.ts';
import { projectRoot } from './harness/pulumi/index.ts';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}
interface Container {
  env: EnvVar[];
  volumeMounts: { mountPath: string }[];
}

function containerOf(deployment: RecordedResource): Container {
  const spec = deployment.inputs.spec as { template: { spec: { containers: Container[] } } };
  return spec.template.spec.containers[0] as Container;
}

/** The environment Kubernetes would give the container. */
function resolvedEnv(resources: RecordedResource[], container: Container): Record<string, string> {
  const secrets = new Map(
    resources
      .filter((resource) => resource.type === 'kubernetes:core/v1:Secret')
      .map((secret) => [
        (secret.inputs.metadata as { name: string }).name,
        secret.inputs.stringData as Record<string, string>,
      ]),
  );
  return Object.fromEntries(
    container.env.map((variable) => {
      if (variable.value !== undefined) return [variable.name, variable.value];
      const ref = variable.valueFrom?.secretKeyRef;
      const value = ref ? secrets.get(ref.name)?.[ref.key] : undefined;
      if (value === undefined) throw new Error(`${variable.name}: no Secret holds it`);
      return [variable.name, value];
    }),
  );
}

function startRuntime(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(projectRoot(), 'runtime', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  // The origin logs JSON lines on stdout; the entry point's own messages go to stderr.
  return { status: result.status, stderr: `${result.stderr}${result.stdout}` };
}

describe.each(['home', 'edge-only'] as const)('runtime env of a %s region', (region) => {
  it('parses under the contract and gets the real entry point past validation', async () => {
    const { resources } = await renderCdn(region);
    const deployments = resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.length).toBe(region === 'home' ? 2 : 1);
    for (const deployment of deployments) {
      const container = containerOf(deployment);
      const env = resolvedEnv(resources, container);
      const parsed = parseRuntimeEnv(env);
      expect(parsed[envNames.trafficPort]).toBe(ports.traffic);
      expect(parsed[envNames.managementPort]).toBe(ports.management);
      if (parsed.EDGEPLANE_ROLE === 'edge') {
        expect(parsed.EDGEPLANE_EDGE_TOKEN?.length).toBeGreaterThanOrEqual(16);
        const diskPath = parsed.EDGEPLANE_CACHE_DISK_PATH;
        expect(container.volumeMounts.map((mount) => mount.mountPath)).toContain(diskPath);
      } else {
        expect(parsed.DATABASE_URL).toMatch(/^postgres:\/\//);
        expect(parsed.REDIS_URL).toMatch(/^rediss?:\/\//);
      }

      const { status, stderr } = startRuntime(env);
      expect(stderr).not.toContain('invalid runtime environment');
      for (const secret of [env.DATABASE_URL, env.REDIS_URL, env.EDGEPLANE_EDGE_TOKEN]) {
        if (secret) expect(stderr).not.toContain(secret);
      }
      if (parsed.EDGEPLANE_ROLE === 'edge') {
        // Rendered edges follow the origin for their sites; that link is not wired into the
        // edge yet (issue #5), so the edge says what is missing and exits 3.
        expect(stderr).toContain('following the origin for sites arrives with the origin role');
        expect(status).toBe(3);
      } else {
        // The origin really starts and tries the rendered DATABASE_URL, which points into a
        // cluster that is not here: it fails to start, without printing the credential.
        expect(stderr).toContain('origin failed to start');
        expect(status).toBe(1);
      }
    }
  });
});
