// The real entry point, started as the container would start it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeProcessEnv } from '../test/edge/edge-process-env.ts';
import { freePort } from '../test/harness/services/index.ts';

const mainPath = join(process.cwd(), 'runtime', 'main.ts');

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [mainPath], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('runtime/main.ts', () => {
  it('exits 2 with every bad variable named when the environment is bad', () => {
    const { status, stderr } = run({
      EDGEPLANE_ROLE: 'origin',
      DATABASE_URL: 'mysql://root:do-not-print@db/x',
      EDGEPLANE_MANAGEMENT_PORT: '0',
    });
    expect(status).toBe(2);
    expect(stderr).toContain('edgeplane: invalid runtime environment:');
    expect(stderr).toContain('DATABASE_URL: must be a postgres: or postgresql: URL');
    expect(stderr).toContain('EDGEPLANE_MANAGEMENT_PORT: must be a port between 1 and 65535');
    expect(stderr).not.toContain('do-not-print');
  });

  it('exits 2 when no role is given', () => {
    const { status, stderr } = run({});
    expect(status).toBe(2);
    expect(stderr).toContain('EDGEPLANE_ROLE: is required');
  });

  it('exits 2 naming the problem when the edge sites file is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'main-sites-'));
    const sitesFile = join(dir, 'sites.yaml');
    writeFileSync(sitesFile, 'sites:\n  - id: Bad Id\n    hosts: []\n    origin: ftp://x\n');
    const { status, stderr } = run({ EDGEPLANE_ROLE: 'edge', EDGEPLANE_SITES_FILE: sitesFile });
    rmSync(dir, { recursive: true, force: true });
    expect(status).toBe(2);
    expect(stderr).toContain('sites.0.id: must be a site id such as shop-example');
    expect(stderr).toContain('sites.0.hosts: must list at least one hostname');
    expect(stderr).toContain('sites.0.origin: must be an http: or https: URL');
  });

  it('starts the edge role, answers its readiness probe, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'main-edge-'));
    const sitesFile = join(dir, 'sites.json');
    writeFileSync(
      sitesFile,
      JSON.stringify({ sites: [{ id: 'a', hosts: ['a.test'], origin: 'http://127.0.0.1:9' }] }),
    );
    const trafficPort = await freePort();
    const managementPort = await freePort();
    const child = spawn(process.execPath, [mainPath], {
      env: edgeProcessEnv({ sitesFile, trafficPort, managementPort, workers: 1 }),
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = await fetch(`http://127.0.0.1:${managementPort}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready).toBe(200);
      const unknown = await fetch(`http://127.0.0.1:${trafficPort}/`, {
        headers: { host: 'b.test' },
      });
      expect(unknown.status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
