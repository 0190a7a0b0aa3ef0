// Runs the rendered Lua scripts in the real wrk against a slow loopback server (a few hundred
// requests in 1 s), and checks what reached the server against what the report says.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWrkOutput, wrkArgs, wrkBinary } from './wrk.ts';
import { renderWrkScript, type WrkScriptKind } from './wrk-script.ts';

let dir: string;
let server: Server;
let port: number;
const seen: { url: string; host: string | undefined }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-wrk-script-'));
  server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', host: request.headers.host });
    // A slow answer keeps the run small: about 2 connections x 200 requests.
    setTimeout(() => response.end('ok'), 5);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

async function runScript(kind: WrkScriptKind, path: string, scriptArgs?: string[]) {
  const scriptPath = join(dir, `${kind}.lua`);
  await writeFile(scriptPath, renderWrkScript(kind));
  const args = wrkArgs({
    url: `http://127.0.0.1:${port}${path}`,
    durationSeconds: 1,
    connections: 2,
    threads: 2,
    scriptPath,
    headers: { Host: 'bench.edgeplane.test' },
    ...(scriptArgs ? { scriptArgs } : {}),
  });
  const child = spawn(wrkBinary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  return parseWrkOutput(stdout);
}

it('fixed-url: every request asks for the URL given to wrk, and the report counts them', async () => {
  const report = await runScript('fixed-url', '/obj/1k');
  expect(report.requests).toBeGreaterThan(10);
  // wrk counts completed responses; requests still open when it stopped reached the server too.
  expect(seen.length).toBeGreaterThanOrEqual(report.requests);
  expect(seen.length).toBeLessThanOrEqual(report.requests + 2);
  expect(new Set(seen.map((request) => request.url))).toEqual(new Set(['/obj/1k']));
  expect(new Set(seen.map((request) => request.host))).toEqual(new Set(['bench.edgeplane.test']));
  expect(report.p50Ms).toBeGreaterThanOrEqual(5);
  expect(report.errors.status).toBe(0);
});

it('distinct-urls: every request is a new URL under the run prefix, from each thread', async () => {
  const report = await runScript('distinct-urls', '/', ['/miss/run-7/']);
  const urls = seen.map((request) => request.url);
  expect(urls.length).toBeGreaterThan(10);
  expect(urls.length).toBeGreaterThanOrEqual(report.requests);
  expect(new Set(urls).size).toBe(urls.length);
  for (const url of urls) expect(url).toMatch(/^\/miss\/run-7\/[01]\/\d+$/);
  const threads = new Set(urls.map((url) => url.split('/')[3]));
  expect(threads).toEqual(new Set(['0', '1']));
  expect(new Set(seen.map((request) => request.host))).toEqual(new Set(['bench.edgeplane.test']));
});
