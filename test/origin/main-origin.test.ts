// The origin role started as the container starts it: node runtime/main.ts with the contract's env.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort, testServices } from '../harness/services/index.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

const mainPath = join(process.cwd(), 'runtime', 'main.ts');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [mainPath], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

async function waitFor(
  url: string,
  status: number,
  child: ChildProcess,
  output: () => string,
): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`origin exited ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status === status) return response;
    } catch {}
    if (Date.now() > deadline) throw new Error(`no ${status} from ${url}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('EDGEPLANE_ROLE=origin', () => {
  it('migrates, becomes ready, serves the API and metrics, and stops cleanly on SIGTERM', async () => {
    const [traffic, management] = [await freePort(), await freePort()];
    const { child, output } = start({
      EDGEPLANE_ROLE: 'origin',
      DATABASE_URL: db.url,
      REDIS_URL: testServices().redisUrl,
      EDGEPLANE_EDGE_TOKEN: 'edge-token-for-tests-0123456789',
      EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
      EDGEPLANE_TRAFFIC_PORT: String(traffic),
      EDGEPLANE_MANAGEMENT_PORT: String(management),
    });
    try {
      await waitFor(`http://127.0.0.1:${management}/readyz`, 200, child, output);
      expect((await fetch(`http://127.0.0.1:${management}/livez`)).status).toBe(200);
      const snapshot = await fetch(`http://127.0.0.1:${traffic}/v1/edge/snapshot`, {
        headers: { authorization: 'Bearer edge-token-for-tests-0123456789' },
      });
      expect(await snapshot.json()).toEqual({ seq: 0, sites: [] });
      const metrics = await (await fetch(`http://127.0.0.1:${management}/metrics`)).text();
      expect(metrics).toContain(
        'edgeplane_origin_http_requests_total{route="/v1/edge/snapshot",method="GET",status="200"} 1',
      );
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      // The database password never reaches the logs.
      expect(output()).not.toContain(new URL(db.url).password);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 1 naming the failure, without the password, when Postgres cannot be reached', async () => {
    const port = await freePort();
    const { child, output } = start({
      EDGEPLANE_ROLE: 'origin',
      DATABASE_URL: `postgres://edgeplane:do-not-print-this@127.0.0.1:${port}/edgeplane`,
      EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
      EDGEPLANE_TRAFFIC_PORT: String(await freePort()),
      EDGEPLANE_MANAGEMENT_PORT: String(await freePort()),
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toContain('origin failed to start');
    expect(output()).toContain('ECONNREFUSED');
    expect(output()).not.toContain('do-not-print-this');
  });
});
