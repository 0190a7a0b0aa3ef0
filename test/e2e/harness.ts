// Cross-cutting origin + edge tests: real edge processes (node runtime/main.ts, as the container
// starts them) following real origin replicas on loopback, a tenant origin that tags its
// responses, and a loopback TCP balancer standing in for the origin's Kubernetes Service.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from '../harness/services/index.ts';
import { testEdgeToken } from '../origin/harness.ts';

const mainPath = join(process.cwd(), 'runtime', 'main.ts');
const threadControlPath = join(process.cwd(), 'test', 'edge', 'thread-control-driver.ts');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 25 ms until it holds; fails naming `what` (and `detail()`) at the deadline. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await sleep(25);
  }
}

export interface EdgeProcess {
  url: string;
  managementUrl: string;
  trafficPort: number;
  managementPort: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL the whole process group, as a node failure would. */
  kill(): Promise<void>;
  /** Ends worker thread `index` abruptly, as a crash would (only with `threadControl`). */
  terminateWorker(index: number): void;
}

export interface EdgeProcessOptions {
  originUrl: string;
  workers: number;
  edgeToken?: string;
  diskPath?: string;
  trafficPort?: number;
  managementPort?: number;
  env?: Record<string, string>;
  /**
   * Start through test/edge/thread-control-driver.ts (the same start, plus `terminateWorker`),
   * not runtime/main.ts.
   */
  threadControl?: boolean;
}

/** Starts `node runtime/main.ts` as an edge following the origin; resolves once /livez answers. */
export async function startEdgeProcess(options: EdgeProcessOptions): Promise<EdgeProcess> {
  const trafficPort = options.trafficPort ?? (await freePort());
  const managementPort = options.managementPort ?? (await freePort());
  const { child, output, exited } = spawnMain(
    {
      EDGEPLANE_ROLE: 'edge',
      EDGEPLANE_ORIGIN_URL: options.originUrl,
      EDGEPLANE_EDGE_TOKEN: options.edgeToken ?? testEdgeToken,
      EDGEPLANE_TRAFFIC_PORT: String(trafficPort),
      EDGEPLANE_MANAGEMENT_PORT: String(managementPort),
      EDGEPLANE_EDGE_WORKERS: String(options.workers),
      EDGEPLANE_CACHE_MEMORY_MB: '32',
      EDGEPLANE_REQUEST_LOG: 'off',
      ...(options.diskPath
        ? { EDGEPLANE_CACHE_DISK_MB: '64', EDGEPLANE_CACHE_DISK_PATH: options.diskPath }
        : {}),
      ...options.env,
    },
    // Its own process group, so kill() reaches everything it started.
    { detached: true, script: options.threadControl ? threadControlPath : mainPath },
  );
  const edge: EdgeProcess = {
    url: `http://127.0.0.1:${trafficPort}`,
    managementUrl: `http://127.0.0.1:${managementPort}`,
    trafficPort,
    managementPort,
    child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      await until('the edge to exit', () => !groupAlive(child.pid as number), 10_000);
    },
    terminateWorker(index) {
      if (child.stdin === null) throw new Error('start the edge with threadControl');
      child.stdin.write(`terminate ${index}\n`);
    },
  };
  try {
    await untilProbe(
      'the edge management port',
      'edge',
      child,
      `${edge.managementUrl}/livez`,
      output,
    );
  } catch (error) {
    // A detached edge that never answered would outlive the run (and keep jest from exiting).
    await edge.kill();
    throw error;
  }
  return edge;
}

/**
 * Starts every edge or none: when one fails to start, the others are killed before its error is
 * thrown, as a caller's afterAll never learns of them.
 */
export async function startEdgeProcesses(list: EdgeProcessOptions[]): Promise<EdgeProcess[]> {
  const settled = await Promise.allSettled(list.map((options) => startEdgeProcess(options)));
  const started = settled.flatMap((one) => (one.status === 'fulfilled' ? [one.value] : []));
  const failed = settled.find((one) => one.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.map((edge) => edge.kill()));
    throw failed.reason;
  }
  return started;
}

/** `node runtime/main.ts` with `env` (plus PATH, on loopback), keeping the last ~1 MB it prints. */
function spawnMain(
  env: Record<string, string>,
  options: { detached?: boolean; script?: string } = {},
): { child: ChildProcess; output: () => string; exited: Promise<unknown[]> } {
  const script = options.script ?? mainPath;
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1', ...env },
    stdio: [script === mainPath ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output, exited: once(child, 'exit') };
}

/** Waits until `url` answers 200; fails at once, with its output, if the process exits first. */
async function untilProbe(
  what: string,
  role: string,
  child: ChildProcess,
  url: string,
  output: () => string,
): Promise<void> {
  await until(
    what,
    async () => {
      if (child.exitCode !== null)
        throw new Error(`${role} exited ${child.exitCode}:\n${output()}`);
      return (await status(url)) === 200;
    },
    30_000,
    output,
  );
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The status of a GET, or 0 when nothing answers. */
export async function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export async function waitReady(edge: EdgeProcess, timeoutMs = 30_000): Promise<void> {
  await until(
    `edge ${edge.trafficPort} ready`,
    async () => (await status(`${edge.managementUrl}/readyz`)) === 200,
    timeoutMs,
    edge.output,
  );
}

/** A metric's value from the edge's /metrics (first sample of that name and labels). */
export async function metric(edge: EdgeProcess, sample: string): Promise<number | undefined> {
  const text = await (await fetch(`${edge.managementUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

export interface Fetched {
  status: number;
  body: string;
  cacheStatus: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A GET through an edge for a site's host (undici's request: fetch may not set Host). `fresh`
 * opens a connection of its own, so the edge's primary may hand it to any worker.
 */
export async function viaEdge(
  edge: EdgeProcess,
  host: string,
  path: string,
  fresh = false,
): Promise<Fetched> {
  const response = await request(`${edge.url}${path}`, {
    headers: fresh ? { host, connection: 'close' } : { host },
    ...(fresh ? { reset: true } : {}),
  });
  const cacheStatus = response.headers['cache-status'];
  return {
    status: response.statusCode,
    body: await response.body.text(),
    cacheStatus: typeof cacheStatus === 'string' ? cacheStatus : '',
    headers: response.headers,
  };
}

export const isHit = (fetched: Fetched) => /;\s*hit/.test(fetched.cacheStatus);

/**
 * A loopback TCP balancer in front of origin replicas, as a Kubernetes Service is: each new
 * connection goes to the next backend that accepts it; a dead backend's connections are cut.
 */
export class TcpBalancer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private backends: number[];
  private next = 0;
  port = 0;

  constructor(backends: number[]) {
    this.backends = backends;
    this.server = createServer((client) => this.route(client));
  }

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  setBackends(backends: number[]): void {
    this.backends = backends;
  }

  private route(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    this.connect(client, 0);
  }

  /** Tries the backends in turn until one accepts (a refused connection is not the client's). */
  private connect(client: Socket, tried: number): void {
    if (client.destroyed) return;
    if (this.backends.length === 0 || tried >= this.backends.length) {
      client.destroy();
      return;
    }
    const port = this.backends[this.next++ % this.backends.length] as number;
    const upstream = new Socket();
    let connected = false;
    upstream.once('error', () => {
      if (!connected) this.connect(client, tried + 1);
      else client.destroy();
    });
    upstream.connect(port, '127.0.0.1', () => {
      connected = true;
      this.sockets.add(upstream);
      upstream.once('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An origin replica as its own process (node runtime/main.ts), so a test can SIGKILL it. */
export interface OriginProcess {
  url: string;
  managementUrl: string;
  apiPort: number;
  child: ChildProcess;
  output(): string;
  kill(): Promise<void>;
}

export async function startOriginProcess(env: Record<string, string>): Promise<OriginProcess> {
  const apiPort = await freePort();
  const managementPort = await freePort();
  const { child, output, exited } = spawnMain({
    EDGEPLANE_ROLE: 'origin',
    EDGEPLANE_EDGE_TOKEN: testEdgeToken,
    EDGEPLANE_TRAFFIC_PORT: String(apiPort),
    EDGEPLANE_MANAGEMENT_PORT: String(managementPort),
    EDGEPLANE_LOG_LEVEL: 'warn',
    ...env,
  });
  const origin: OriginProcess = {
    url: `http://127.0.0.1:${apiPort}`,
    managementUrl: `http://127.0.0.1:${managementPort}`,
    apiPort,
    child,
    output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  await untilProbe(
    `origin replica ${apiPort} ready`,
    'origin',
    child,
    `${origin.managementUrl}/readyz`,
    output,
  );
  return origin;
}

/**
 * Issues `count` purges one after another, `intervalMs` apart, while the test disrupts
 * something; `issued` counts those the origin acknowledged (with their sequence numbers).
 */
export class PurgeSeries {
  readonly seqs: number[] = [];
  private readonly done: Promise<void>;

  constructor(count: number, intervalMs: number, purge: (index: number) => Promise<number>) {
    this.done = (async () => {
      for (let index = 0; index < count; index++) {
        this.seqs.push(await purge(index));
        await sleep(intervalMs);
      }
    })();
  }

  get issued(): number {
    return this.seqs.length;
  }

  finished(): Promise<void> {
    return this.done;
  }
}
