// Local mode as a newcomer meets it: `node runtime/local/main.ts` (what ./run start execs) in a
// temp data folder with free ports; the curl lines it prints are run as printed (bash + curl) and
// must show a MISS, a HIT, an accepted purge and a MISS again; SIGINT stops every process it
// started and exits 0; a second start on the same folder works with the key it prints.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive as alive } from '../runtime/local/lock.ts';
import { freePort } from './harness/services/free-port.ts';

const checkout = resolve(__dirname, '..');
const portNames = [
  'EDGEPLANE_LOCAL_EDGE_PORT',
  'EDGEPLANE_LOCAL_ORIGIN_PORT',
  'EDGEPLANE_LOCAL_DEMO_PORT',
  'EDGEPLANE_LOCAL_EDGE_MANAGEMENT_PORT',
  'EDGEPLANE_LOCAL_ORIGIN_MANAGEMENT_PORT',
  'EDGEPLANE_LOCAL_POSTGRES_PORT',
] as const;
type Ports = Record<(typeof portNames)[number], number>;

interface LocalRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startLocal(dir: string, ports: Ports): LocalRun {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('EDGEPLANE_')) env[name] = value;
  }
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['runtime/local/main.ts'], {
    cwd: checkout,
    env: {
      ...env,
      EDGEPLANE_LOCAL_DIR: dir,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves once the guide is printed; rejects with the output if the process exits first. */
async function guideOf(run: LocalRun, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!/^ {2}curl .*\n\s*$/m.test(run.stdout()) || !run.stdout().includes('# 4.')) {
    if (run.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `no guide (exit ${run.child.exitCode}):\n${run.stdout()}\n---\n${run.stderr()}`,
      );
    }
    await sleep(100);
  }
  // The last curl line ends the guide; give the line's end a moment to arrive.
  await sleep(50);
  return run.stdout();
}

function curlLines(guide: string): string[] {
  return guide
    .split('\n')
    .filter((line) => line.startsWith('  curl '))
    .map((line) => line.trim());
}

interface CurlResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs a printed line exactly as a shell would, and parses curl -si's output. */
function runPrinted(line: string): Promise<CurlResponse> {
  return new Promise((done, fail) => {
    execFile('bash', ['-c', line], { timeout: 15_000 }, (error, stdout) => {
      if (error) return fail(new Error(`${line} failed: ${error.message}`));
      const split = stdout.indexOf('\r\n\r\n');
      const head = stdout.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const header of head.slice(1)) {
        const colon = header.indexOf(':');
        headers[header.slice(0, colon).toLowerCase()] = header.slice(colon + 1).trim();
      }
      done({
        status: Number(head[0]?.split(' ')[1]),
        headers,
        body: stdout.slice(split + 4),
      });
    });
  });
}

function originRequestNumber(response: CurlResponse): number {
  const match = /origin request #(\d+)/.exec(response.body);
  if (!match) throw new Error(`not the demo page: ${response.body}`);
  return Number(match[1]);
}

/** Runs the four printed lines and checks MISS, HIT, purge accepted, MISS. */
async function walkThroughGuide(guide: string): Promise<void> {
  const lines = curlLines(guide);
  expect(lines).toHaveLength(4);
  const [missLine, hitLine, purgeLine, againLine] = lines as [string, string, string, string];

  const miss = await runPrinted(missLine);
  expect(miss.status).toBe(200);
  expect(miss.headers['cache-status']).toMatch(/^edgeplane; fwd=uri-miss; .*stored/);
  const first = originRequestNumber(miss);

  const hit = await runPrinted(hitLine);
  expect(hit.status).toBe(200);
  expect(hit.headers['cache-status']).toMatch(/^edgeplane; hit/);
  expect(originRequestNumber(hit)).toBe(first);

  const purge = await runPrinted(purgeLine);
  expect(purge.status).toBe(201);
  const record = JSON.parse(purge.body) as { seq: number; kind: string; values: string[] };
  expect(record).toMatchObject({ kind: 'key', values: ['demo'] });
  expect(record.seq).toBeGreaterThan(0);

  // The purge travels API -> Postgres -> event stream -> edge; a HIT until it lands changes
  // nothing at the origin, so ask again (bounded) until the edge misses.
  let again = await runPrinted(againLine);
  for (let tries = 0; /hit/.test(again.headers['cache-status'] ?? '') && tries < 50; tries++) {
    await sleep(100);
    again = await runPrinted(againLine);
  }
  expect(again.status).toBe(200);
  expect(again.headers['cache-status']).toMatch(/^edgeplane; fwd=uri-miss; .*stored/);
  expect(originRequestNumber(again)).toBe(first + 1);
}

/** Every process below `pid`, read from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection(port);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function freePorts(): Promise<Ports> {
  const ports = {} as Ports;
  const taken = new Set<number>();
  for (const name of portNames) {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

describe('local mode (./run start)', () => {
  let parent: string;
  let dir: string;
  let ports: Ports;
  const started: LocalRun[] = [];
  let firstKey = '';
  let firstTenant = '';

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'edgeplane-local-test-'));
    // As root, Postgres runs as the postgres user, who must reach the data folder.
    await chmod(parent, 0o755);
    dir = join(parent, 'local');
    ports = await freePorts();
  });

  afterAll(async () => {
    for (const run of started) {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    }
    await rm(parent, { recursive: true, force: true });
  });

  test('a port in use is named with the variable that moves it, and nothing starts', async () => {
    const holder: Server = createServer();
    await new Promise<void>((done) =>
      holder.listen(ports.EDGEPLANE_LOCAL_EDGE_PORT, '127.0.0.1', done),
    );
    try {
      const run = startLocal(join(parent, 'busy'), ports);
      started.push(run);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toContain(
        `port ${ports.EDGEPLANE_LOCAL_EDGE_PORT} on 127.0.0.1 (edge traffic) is already in use`,
      );
      expect(run.stderr()).toContain('EDGEPLANE_LOCAL_EDGE_PORT=');
      expect(existsSync(join(parent, 'busy', 'postgres'))).toBe(false);
    } finally {
      await new Promise<void>((done) => holder.close(() => done()));
    }
  }, 60_000);

  test('first start: the printed curl lines show MISS, HIT, purge, MISS; SIGINT stops it all', async () => {
    const run = startLocal(dir, ports);
    started.push(run);
    const guide = await guideOf(run);
    expect(guide).toContain('(new; also in');
    firstKey = /^ {2}(ep_\S+)$/m.exec(guide)?.[1] ?? '';
    expect(firstKey).toMatch(/^ep_/);
    expect((await readFile(join(dir, 'demo-api-key'), 'utf8')).trim()).toBe(firstKey);
    firstTenant = /Demo tenant (\S+),/.exec(guide)?.[1] ?? '';
    expect(firstTenant).toMatch(/^tnt_/);

    await walkThroughGuide(guide);

    const processes = await descendants(run.child.pid as number);
    const postgresPid = Number(
      (await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    // Postgres, the origin and the edge at least (Postgres forks its own workers).
    expect(processes).toContain(postgresPid);
    expect(processes.length).toBeGreaterThanOrEqual(3);

    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(run.stderr()).toBe('');
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/stopping: edge, origin, Postgres, demo origin\nstopped\n$/);
    expect(processes.filter(alive)).toEqual([]);
    expect(await portAnswers(ports.EDGEPLANE_LOCAL_POSTGRES_PORT)).toBe(false);
    expect(await portAnswers(ports.EDGEPLANE_LOCAL_EDGE_PORT)).toBe(false);
    expect(existsSync(join(dir, 'local-mode.pid'))).toBe(false);
  }, 180_000);

  test('a second start on the same folder keeps the data and prints a key that works', async () => {
    expect(firstKey).not.toBe('');
    const run = startLocal(dir, ports);
    started.push(run);
    const guide = await guideOf(run);
    expect(guide).toContain('(kept from an earlier start; also in');
    expect(guide).not.toContain('creating the Postgres cluster');
    const key = /^ {2}(ep_\S+)$/m.exec(guide)?.[1];
    expect(key).toBe(firstKey);

    await walkThroughGuide(guide);

    // Revoke the kept key, as an operator might: the next start must mint a working one.
    const api = `http://127.0.0.1:${ports.EDGEPLANE_LOCAL_ORIGIN_PORT}`;
    const headers = { authorization: `Bearer ${key}` };
    const keys = (await (await fetch(`${api}/v1/keys`, { headers })).json()) as {
      items: { id: string; prefix: string }[];
    };
    const kept = keys.items.find((item) => key?.startsWith(`ep_${item.prefix}_`));
    expect(kept).toBeDefined();
    const revoked = await fetch(`${api}/v1/keys/${kept?.id}`, { method: 'DELETE', headers });
    expect(revoked.status).toBeLessThan(300);

    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(0);
  }, 180_000);

  test('a start after the kept key was revoked mints a new key for the same tenant', async () => {
    const run = startLocal(dir, ports);
    started.push(run);
    const guide = await guideOf(run);
    expect(guide).toContain('(new; also in');
    const key = /^ {2}(ep_\S+)$/m.exec(guide)?.[1] ?? '';
    expect(key).toMatch(/^ep_/);
    expect(key).not.toBe(firstKey);
    expect((await readFile(join(dir, 'demo-api-key'), 'utf8')).trim()).toBe(key);
    expect(/Demo tenant (\S+),/.exec(guide)?.[1]).toBe(firstTenant);

    await walkThroughGuide(guide);

    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(0);
  }, 180_000);
});
