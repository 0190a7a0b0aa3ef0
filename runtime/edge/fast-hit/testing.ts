// Test helpers for the fast path: a single-process traffic server on listen(0) whose fast-path
// counters are visible, and a raw client that reads whole responses as bytes.
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import { type EdgeEnv, parseRuntimeEnv } from '../../contract.ts';
import { type SiteInput, siteSchema } from '../../lib/site.ts';
import { StaticSiteSource } from '../../lib/site-file-source.ts';
import { edgeConfigFrom } from '../config.ts';
import type { PurgeRequest } from '../purge.ts';
import { LocalTier, type SharedTier } from '../store/tiers.ts';
import { createTrafficProcess, listen, type TrafficProcess } from '../traffic.ts';
import { type FastHitStats, fastHitStats } from './index.ts';

export interface TestTrafficEdge {
  port: number;
  traffic: TrafficProcess;
  registry: Registry;
  /** Request log lines (JSON). */
  logs: string[];
  close(): Promise<void>;
}

export interface FastHitEdge extends TestTrafficEdge {
  stats: FastHitStats;
}

/**
 * A single-process traffic server on listen(0); `extraEnv` adds edge variables of the contract,
 * `tier` what stands behind its memory tier (by default a LocalTier without disk).
 */
export async function startTestTrafficEdge(
  sites: SiteInput[],
  extraEnv: Record<string, string> = {},
  tier: (purgeLocal: (purge: PurgeRequest) => number) => SharedTier = (purgeLocal) =>
    new LocalTier(undefined, purgeLocal),
): Promise<TestTrafficEdge> {
  const env = parseRuntimeEnv({
    ...extraEnv,
    EDGEPLANE_ROLE: 'edge',
    EDGEPLANE_SITES_FILE: '/unused',
    EDGEPLANE_TRAFFIC_PORT: '1',
    EDGEPLANE_MANAGEMENT_PORT: '1',
    EDGEPLANE_EDGE_WORKERS: '1',
  }) as EdgeEnv;
  const config = edgeConfigFrom(env, '127.0.0.1');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const registry = new Registry();
  const traffic = await createTrafficProcess({
    config,
    sites: new StaticSiteSource(sites.map((site) => siteSchema.parse(site))),
    tier,
    memory: config.memoryBytes,
    registry,
    logger: pino({ level: 'info' }, sink),
  });
  const port = await listen(traffic.server, 0, '127.0.0.1');
  return { port, traffic, registry, logs, close: () => traffic.close() };
}

export async function startFastHitEdge(sites: SiteInput[]): Promise<FastHitEdge> {
  const edge = await startTestTrafficEdge(sites);
  const stats = fastHitStats(edge.traffic.server);
  if (stats === undefined) throw new Error('the traffic server has no fast path attached');
  return { ...edge, stats };
}

/** One HTTP/1.1 response cut out of a byte stream (body de-chunked when chunked). */
export interface RawResponse {
  head: string;
  body: Buffer;
}

/** A chunked body at `offset`: the body and where it ends, or undefined while incomplete. */
function dechunk(bytes: Buffer, offset: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = offset;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at, 'latin1');
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) {
      const trailerEnd = bytes.indexOf('\r\n', lineEnd + 2, 'latin1');
      return trailerEnd === -1 ? undefined : { body: Buffer.concat(parts), end: trailerEnd + 2 };
    }
    if (lineEnd + 2 + size + 2 > bytes.length) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The complete responses at the start of `bytes`; HEAD answers need `noBody`. */
export function splitResponses(bytes: Buffer, noBody = false): RawResponse[] {
  const out: RawResponse[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', offset, 'latin1');
    if (end === -1) break;
    const head = bytes.subarray(offset, end + 4).toString('latin1');
    const status = Number(head.slice(9, 12));
    if (noBody || status === 304 || status === 204 || (status >= 100 && status < 200)) {
      out.push({ head, body: Buffer.alloc(0) });
      offset = end + 4;
      continue;
    }
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const chunked = dechunk(bytes, end + 4);
      if (chunked === undefined) break;
      out.push({ head, body: chunked.body });
      offset = chunked.end;
      continue;
    }
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyLength = length === null ? 0 : Number(length[1]);
    if (end + 4 + bodyLength > bytes.length) break;
    out.push({ head, body: bytes.subarray(end + 4, end + 4 + bodyLength) });
    offset = end + 4 + bodyLength;
  }
  return out;
}

/** A connection that collects what the server sends. */
export class RawConnection {
  private readonly socket: Socket;
  private received: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  send(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  get bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** Waits until `count` whole responses arrived (or the connection closed, or `timeoutMs`). */
  async responses(count: number, timeoutMs = 5000, noBody = false): Promise<RawResponse[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = splitResponses(this.bytes, noBody);
      if (got.length >= count || this.closed || Date.now() >= deadline) return got;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Everything until the server closes, or stays quiet for `quietMs` after its first byte (or
   * sends nothing for `firstByteMs`).
   */
  async drain(quietMs = 200, firstByteMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + firstByteMs;
    while (this.received.length === 0 && !this.closed && Date.now() < deadline)
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
    for (;;) {
      const before = this.bytes.length;
      if (this.closed) return this.bytes;
      await new Promise<void>((resolve) => setTimeout(resolve, quietMs));
      if (this.bytes.length === before) return this.bytes;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A GET request head for `host` with extra field lines. */
export function getRequest(host: string, path: string, lines: readonly string[] = []): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`;
}

/** Sends `bytes` on a new connection and returns the first `count` whole responses. */
export async function askOnce(
  port: number,
  bytes: string,
  count = 1,
  timeoutMs = 10_000,
): Promise<RawResponse[]> {
  const connection = await RawConnection.open(port);
  connection.send(bytes);
  const replies = await connection.responses(count, timeoutMs);
  connection.close();
  return replies;
}

/** A response head without what moves with the clock: Date and Age, Cache-Status's ttl. */
export function withoutClock(head: string): string {
  return head.replace(/\r\n(date|age): [^\r]*/gi, '').replace(/; ttl=-?\d+/g, '; ttl=(n)');
}
