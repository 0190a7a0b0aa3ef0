// The manifests and the process cannot drift: the edge and origin containers' environment, taken
// from the rendered Deployments (Secret references resolved from the rendered Secrets), is parsed
// by the contract and given to the real runtime entry point.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCdn } from '../components/cdn/testing.ts';
import { envNames, parseRuntimeEnv, ports } from '../runtime/contract.ts';
import { startOrigin } from '../runtime/origin/server.ts';
import { startEdgeProcess, waitReady } from './e2e/harness.ts';
import type { RecordedResource } from './harness/pulumi/index.ts';
import { projectRoot } from './harness/pulumi/index.ts';
import { createTestDatabase, memoryLogger } from './origin/harness.ts';

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

/**
 * The rendered edge env, with only the origin URL, ports, listen address and disk path made
 * local, against a real origin holding the rendered edge token: it becomes ready and stops on
 * SIGTERM with exit 0.
 */
async function edgeFollowsRealOrigin(rendered: Record<string, string>): Promise<void> {
  const db = await createTestDatabase();
  const disk = await mkdtemp(join(tmpdir(), 'edgeplane-edge-'));
  const origin = await startOrigin({
    databaseUrl: db.url,
    edgeToken: rendered[envNames.edgeToken] as string,
    listenAddress: '127.0.0.1',
    trafficPort: 0,
    managementPort: 0,
    rateLimitPerMinute: 1000,
    logger: memoryLogger().logger,
  });
  try {
    // Made local: the origin URL, the ports and listen address (the harness picks free loopback
    // ports), the disk path (a temporary folder).
    const {
      [envNames.edgeWorkers]: workers,
      [envNames.trafficPort]: _traffic,
      [envNames.managementPort]: _management,
      [envNames.listenAddress]: _address,
      ...rest
    } = rendered;
    const edge = await startEdgeProcess({
      originUrl: origin.url,
      edgeToken: rendered[envNames.edgeToken] as string,
      // The rendered count comes from the pod's CPU limit; two workers keep the test light.
      workers: Math.min(2, Number(workers ?? 1)),
      env: { ...rest, [envNames.originUrl]: origin.url, [envNames.cacheDiskPath]: disk },
    });
    try {
      await waitReady(edge);
      expect(await edge.stop()).toBe(0);
      expect(edge.output()).not.toContain('invalid runtime environment');
      expect(edge.output()).toContain('following the origin for sites and purges');
      expect(edge.output()).not.toContain(rendered[envNames.edgeToken] as string);
    } finally {
      await edge.kill();
    }
  } finally {
    await origin.close();
    await db.drop();
    await rm(disk, { recursive: true, force: true });
  }
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

      if (parsed.EDGEPLANE_ROLE === 'edge') {
        // Rendered edges follow the origin for their sites: the edge starts against a real one.
        await edgeFollowsRealOrigin(env);
        continue;
      }
      const { status, stderr } = startRuntime(env);
      expect(stderr).not.toContain('invalid runtime environment');
      for (const secret of [env.DATABASE_URL, env.REDIS_URL, env.EDGEPLANE_EDGE_TOKEN]) {
        if (secret) expect(stderr).not.toContain(secret);
      }
      // The origin really starts and tries the rendered DATABASE_URL, which points into a
      // cluster that is not here: it fails to start, without printing the credential.
      expect(stderr).toContain('origin failed to start');
      expect(status).toBe(1);
    }
  });
});
