// Test harness for the edge: real origins on listen(0), a real edge in this process (single
// process mode) on listen(0), and a raw HTTP client for exact header control.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { request } from 'undici';
import { type EdgeEnv, parseRuntimeEnv } from '../../runtime/contract.ts';
import { type EdgeConfig, edgeConfigFrom } from '../../runtime/edge/config.ts';
import { type RunningEdge, startSingleEdge } from '../../runtime/edge/single.ts';
import { type SiteInput, siteSchema } from '../../runtime/lib/site.ts';
import { StaticSiteSource } from '../../runtime/lib/site-file-source.ts';
import { startRuntime } from '../harness/contract/runtime-process.ts';
import { freePort } from '../harness/services/index.ts';
import { edgeProcessEnv } from './edge-process-env.ts';

export interface Origin {
  url: string;
  port: number;
  /** Requests the origin received, in order. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  close(): Promise<void>;
  server: Server;
}

export async function startOrigin(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<Origin> {
  const origin: Origin = {
    url: '',
    port: 0,
    requests: [],
    handle,
    server: undefined as unknown as Server,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      origin.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      origin.handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin.port = typeof address === 'object' && address ? address.port : 0;
  origin.url = `http://127.0.0.1:${origin.port}`;
  origin.server = server;
  origin.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return origin;
}

export interface TestEdge extends RunningEdge {
  url: string;
  managementUrl: string;
  logs: string[];
  config: EdgeConfig;
}

export const purgeToken = 'test-purge-token-0123456789';

export async function startTestEdge(
  sites: SiteInput[],
  env: Record<string, string> = {},
): Promise<TestEdge> {
  const parsed = parseRuntimeEnv({
    EDGEPLANE_ROLE: 'edge',
    EDGEPLANE_SITES_FILE: '/unused',
    EDGEPLANE_TRAFFIC_PORT: '1',
    EDGEPLANE_MANAGEMENT_PORT: '1',
    EDGEPLANE_PURGE_TOKEN: purgeToken,
    EDGEPLANE_EDGE_WORKERS: '1',
    ...env,
  }) as EdgeEnv;
  const config = { ...edgeConfigFrom(parsed, '127.0.0.1'), trafficPort: 0, managementPort: 0 };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const edge = await startSingleEdge(
    config,
    new StaticSiteSource(sites.map((site) => siteSchema.parse(site))),
    logger,
  );
  return {
    ...edge,
    config,
    logs,
    url: `http://127.0.0.1:${edge.trafficPort}`,
    managementUrl: `http://127.0.0.1:${edge.managementPort}`,
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  raw: Buffer;
}

/** One request with exactly the given headers (Host included). */
export async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<Reply> {
  const response = await request(`${base}${path}`, { method, headers, body });
  const raw = Buffer.from(await response.body.arrayBuffer());
  return {
    status: response.statusCode,
    headers: response.headers as Reply['headers'],
    body: raw.toString('utf8'),
    raw,
  };
}

/** A cache gauge or counter of an edge's /metrics: `edgeplane_edge_cache_<name>{tier="<tier>"}`. */
export async function cacheMetric(
  managementUrl: string,
  name: 'bytes' | 'objects' | 'evictions_total',
  tier: string,
): Promise<number> {
  const metrics = (await get(managementUrl, '/metrics')).body;
  const found = new RegExp(`edgeplane_edge_cache_${name}\\{tier="${tier}"\\} (\\d+)`).exec(metrics);
  return Number(found?.[1]);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes raw bytes to a server and returns everything it answers until it closes or goes quiet. */
export function rawRequest(port: number, text: string, quietMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      arm();
    });
    socket.on('end', finish);
    socket.on('error', (error) => (chunks.length > 0 ? finish() : reject(error)));
    socket.write(text, arm);
  });
}

/**
 * An origin in its own process (so a test can kill it): answers every request with the given
 * status, headers and a body that counts requests. Resolves once it listens.
 */
export async function startOriginProcess(
  headers: Record<string, string>,
  port = 0,
): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void> }> {
  const script = `
    const http = require('node:http');
    let n = 0;
    const server = http.createServer((req, res) => {
      n++;
      res.writeHead(200, ${JSON.stringify(headers)});
      res.end('origin body ' + n);
    });
    server.listen(${port}, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listening = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`origin process exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * One request on a connection of its own (so SO_REUSEPORT or the primary can hand it to any
 * worker). A method other than GET sends a one-byte body.
 */
export function getOnNewConnection(
  base: string,
  path: string,
  headers: Record<string, string>,
  options: { method?: string; timeoutMs?: number } = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const method = options.method ?? 'GET';
  const signal =
    options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, agent: false, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(method === 'GET' || method === 'HEAD' ? undefined : 'x');
  });
}

export interface EdgeMain {
  trafficUrl: string;
  managementUrl: string;
  /** Everything the primary and its workers wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (the process group), wait for the exit, remove the temp folder. */
  close(): Promise<void>;
}

export interface EdgeMainOptions {
  sites: SiteInput[];
  /** EDGEPLANE_EDGE_WORKERS. */
  workers: number;
  /** A disk tier of this size in the temp folder. */
  diskMb?: number;
  /** EDGEPLANE_CACHE_MEMORY_MB, when not the default. */
  memoryMb?: number;
}

/**
 * `node runtime/main.ts` as the edge role, as the container runs it: the sites in a sites file in a
 * temp folder, ports on loopback. Resolves once /readyz answers 200.
 */
export async function startEdgeMain(options: EdgeMainOptions): Promise<EdgeMain> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-main-'));
  const sitesFile = join(dir, 'sites.json');
  await writeFile(sitesFile, JSON.stringify({ sites: options.sites }));
  const trafficPort = await freePort();
  const managementPort = await freePort();
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  const runtime = startRuntime({
    ...edgeProcessEnv({ sitesFile, trafficPort, managementPort, workers: options.workers }),
    EDGEPLANE_PURGE_TOKEN: purgeToken,
    ...(options.memoryMb === undefined
      ? {}
      : { EDGEPLANE_CACHE_MEMORY_MB: String(options.memoryMb) }),
    ...(options.diskMb === undefined
      ? {}
      : {
          EDGEPLANE_CACHE_DISK_MB: String(options.diskMb),
          EDGEPLANE_CACHE_DISK_PATH: join(dir, 'disk'),
        }),
  });
  const edge: EdgeMain = {
    trafficUrl: `http://127.0.0.1:${trafficPort}`,
    managementUrl,
    output: runtime.output,
    async close() {
      await runtime.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < 150; i++) {
    const ready = await get(managementUrl, '/readyz').catch(() => undefined);
    if (ready?.status === 200) return edge;
    await sleep(100);
  }
  await edge.close();
  throw new Error(`edge did not become ready:\n${runtime.output()}`);
}
