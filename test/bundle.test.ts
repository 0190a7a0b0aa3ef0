// The runtime bundle the image ships: built with the real build script into a folder with no
// node_modules around it, then started as the container starts it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { managementPaths } from '../runtime/contract.ts';
import { projectRoot } from './harness/pulumi/index.ts';
import { freePort } from './harness/services/free-port.ts';

const root = projectRoot();
let outdir: string;

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--enable-source-maps', join(outdir, 'main.mjs')], {
    cwd: outdir,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

beforeAll(() => {
  // Outside the project, so nothing can be resolved from its node_modules: the bundle stands alone.
  outdir = mkdtempSync(join(tmpdir(), 'edgeplane-bundle-'));
  const build = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'build-bundle.ts'), '--outdir', outdir],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
  if (build.status !== 0) throw new Error(`bundle build failed: ${build.stderr}`);
}, 90_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('runtime bundle', () => {
  it('is one ESM file with its source map and a manifest of the native packages beside it', () => {
    expect(existsSync(join(outdir, 'main.mjs.map'))).toBe(true);
    expect(existsSync(join(outdir, 'node_modules'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(outdir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ type: 'module', private: true });
    // Today the runtime imports no native package; any it does later gets its pinned version here.
    const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      expect({ name, version }).toEqual({ name, version: pinned.dependencies[name] });
    }
    const source = readFileSync(join(outdir, 'main.mjs'), 'utf8');
    // zod is inside the bundle, not imported from node_modules.
    expect(source).not.toMatch(/from ["']zod["']/);
  });

  it('rejects a bad environment with exit 2, naming each bad variable but never its value', () => {
    const { status, stderr } = start({
      EDGEPLANE_ROLE: 'edge',
      EDGEPLANE_ORIGIN_URL: 'ftp://secret-host-do-not-print/',
      EDGEPLANE_TRAFFIC_PORT: '70000',
    });
    expect(status).toBe(2);
    expect(stderr).toContain('edgeplane: invalid runtime environment:');
    expect(stderr).toContain('EDGEPLANE_ORIGIN_URL: must be a http: or https: URL');
    expect(stderr).toContain('EDGEPLANE_TRAFFIC_PORT: must be a port between 1 and 65535');
    expect(stderr).not.toContain('secret-host-do-not-print');
  });

  it('exits 2 without a role', () => {
    const { status, stderr } = start({});
    expect(status).toBe(2);
    expect(stderr).toContain('EDGEPLANE_ROLE: is required; must be one of edge, origin');
  });

  it('serves a site from a sites file as role edge: a MISS, then a HIT, then a clean stop', async () => {
    const origin = createServer((request, response) => {
      originRequests += 1;
      response.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': 'public, max-age=300',
      });
      response.end(`hello from ${request.url}`);
    });
    let originRequests = 0;
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    const originPort = (origin.address() as AddressInfo).port;
    const sitesFile = join(outdir, 'sites.json');
    writeFileSync(
      sitesFile,
      JSON.stringify({
        sites: [
          { id: 'demo', hosts: ['demo.example.com'], origin: `http://127.0.0.1:${originPort}` },
        ],
      }),
    );
    const [trafficPort, managementPort] = [await freePort(), await freePort()];
    const edge = spawn(process.execPath, [join(outdir, 'main.mjs')], {
      cwd: outdir,
      env: {
        PATH: process.env.PATH ?? '',
        EDGEPLANE_ROLE: 'edge',
        EDGEPLANE_SITES_FILE: sitesFile,
        EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
        EDGEPLANE_TRAFFIC_PORT: String(trafficPort),
        EDGEPLANE_MANAGEMENT_PORT: String(managementPort),
        // Worker threads run the bundle again (its own path), as the image's default does.
        EDGEPLANE_EDGE_WORKERS: '2',
        EDGEPLANE_REQUEST_LOG: 'off',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    edge.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => edge.once('exit', resolve));
    try {
      await waitForReady(`http://127.0.0.1:${managementPort}${managementPaths.readiness}`, exited);
      // fetch() drops a Host header; undici's request sends it as given.
      const get = () =>
        request(`http://127.0.0.1:${trafficPort}/hello`, { headers: { host: 'demo.example.com' } });
      const first = await get();
      expect(first.statusCode).toBe(200);
      expect(await first.body.text()).toBe('hello from /hello');
      expect(first.headers['cache-status']).toMatch(/fwd=uri-miss/);
      const second = await get();
      expect(await second.body.text()).toBe('hello from /hello');
      expect(second.headers['cache-status']).toMatch(/;\s*hit/);
      expect(originRequests).toBe(1);
      const metrics = await fetch(`http://127.0.0.1:${managementPort}${managementPaths.metrics}`);
      expect(await metrics.text()).toContain('edgeplane_edge_requests_total');
    } finally {
      edge.kill('SIGTERM');
      const code = await exited;
      origin.close();
      expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    }
  }, 60_000);
});

/** Polls the readiness probe until it answers 200, failing early if the process exits. */
async function waitForReady(url: string, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    if (gone) throw new Error('the bundle exited before it was ready');
    const ready = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready: ${url}`);
}

describe('bundle build', () => {
  it('refuses a module other than the entry that checks import.meta.main', () => {
    const project = mkdtempSync(join(tmpdir(), 'edgeplane-bundle-main-'));
    try {
      writeFileSync(join(project, 'package.json'), '{"type":"module"}');
      writeFileSync(join(project, 'entry.ts'), "import { run } from './cli.ts';\nrun();\n");
      writeFileSync(
        join(project, 'cli.ts'),
        "export function run() {}\nif (import.meta.main) console.log('would run inside the runtime');\n",
      );
      const script = pathToFileURL(join(root, 'scripts', 'build-bundle.ts')).href;
      const build = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { buildBundle } = await import(${JSON.stringify(script)});
           await buildBundle(${JSON.stringify(project)}, ${JSON.stringify(join(project, 'out'))}, 'entry.ts');`,
        ],
        { cwd: root, encoding: 'utf8', timeout: 60_000 },
      );
      expect(build.status).not.toBe(0);
      expect(build.stderr).toContain('these modules check import.meta.main');
      expect(build.stderr).toContain('cli.ts');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
