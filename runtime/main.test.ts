// The real entry point, started as the container would start it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

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

  it('gets past validation with a good environment', () => {
    const { status, stderr } = run({ EDGEPLANE_ROLE: 'edge', EDGEPLANE_SITES_FILE: '/dev/null' });
    expect(stderr).not.toContain('invalid runtime environment');
    // The edge role itself arrives with issue #3; until then the build says so and exits 3.
    expect(status).toBe(3);
  });
});
