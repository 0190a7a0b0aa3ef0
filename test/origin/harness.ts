// Helpers for origin tests: a fresh database per test file on the run's Postgres, and origin
// replicas on loopback ports chosen by the OS.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createLogger, type Logger } from '../../runtime/lib/logger.ts';
import type { EventBus } from '../../runtime/origin/bus.ts';
import { type RunningOrigin, startOrigin } from '../../runtime/origin/server.ts';
import { testServices } from '../harness/services/index.ts';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = testServices().postgresUrl;
  const name = `origin_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * A pool on a test database. Its idle clients can be killed by the database's own teardown
 * (`DROP DATABASE … WITH (FORCE)` may reach a connection pg-pool has already let go of but not yet
 * closed); without a listener that 'error' event would fail whichever test runs at that moment.
 * Errors of queries still reach the test that awaits them.
 */
export function testPool(databaseUrl: string, max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on('error', () => {});
  return pool;
}

/** A logger whose lines are kept in memory (tests may read them; nothing reaches the console). */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger({ level: 'info', role: 'origin', region: 'test', destination }),
    lines,
  };
}

export const testEdgeToken = 'edge-token-for-tests-0123456789';

export interface TestOriginOptions {
  databaseUrl: string;
  redisUrl?: string;
  bus?: EventBus;
  rateLimitPerMinute?: number;
  pollIntervalMs?: number;
  heartbeatMs?: number;
  /** A fixed API port (default: one the OS picks). */
  trafficPort?: number;
}

export async function startTestOrigin(
  options: TestOriginOptions,
): Promise<RunningOrigin & { lines: string[] }> {
  const { logger, lines } = memoryLogger();
  const origin = await startOrigin({
    databaseUrl: options.databaseUrl,
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.bus ? { bus: options.bus } : {}),
    edgeToken: testEdgeToken,
    listenAddress: '127.0.0.1',
    trafficPort: options.trafficPort ?? 0,
    managementPort: 0,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000,
    logger,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  return { ...origin, lines };
}

/** JSON request to the API with an optional Bearer key. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly and check them with expect
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A redis-server on a fixed port, so it can be stopped and started again where clients expect it. */
export async function redisOn(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!output.includes('Ready to accept connections')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`redis-server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

export async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
