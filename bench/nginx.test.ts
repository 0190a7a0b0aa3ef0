// The rendered nginx really behaves as the bench claims, in front of a real loopback origin:
// it stores cacheable responses, reuses upstream connections, and collapses concurrent misses.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchOnce } from './net.ts';
import { startNginx } from './nginx.ts';
import { ProcessGroup } from './processes.ts';
import type { Target } from './section.ts';

const host = 'bench.edgeplane.test';
const processes = new ProcessGroup();
let dir: string;
let origin: Server;
let nginx: Target;
const originRequests: string[] = [];
let originConnections = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-nginx-'));
  origin = createServer((request, response) => {
    originRequests.push(request.url ?? '');
    // Slow enough that concurrent requests for one URL overlap at nginx.
    setTimeout(() => {
      response.writeHead(200, {
        'cache-control': 'public, max-age=60',
        'content-type': 'text/plain',
      });
      response.end(`body of ${request.url}`);
    }, 50);
  });
  origin.on('connection', () => {
    originConnections++;
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  nginx = await startNginx(processes, {
    dir,
    cacheDir: join(dir, 'cache'),
    originUrl,
    workers: 2,
    host,
  });
});

afterAll(async () => {
  await processes.stopAll();
  origin.closeAllConnections();
  await new Promise((resolve) => origin.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

it('answers a second request from its cache and says so in Cache-Status', async () => {
  const first = await fetchOnce(`${nginx.url}/stored`, { host });
  const second = await fetchOnce(`${nginx.url}/stored`, { host });
  expect(first.body.toString()).toBe('body of /stored');
  expect(second.body.toString()).toBe('body of /stored');
  expect(first.headers['cache-status']).toBe('nginx; MISS');
  expect(second.headers['cache-status']).toBe('nginx; HIT');
  expect(originRequests.filter((url) => url === '/stored')).toHaveLength(1);
});

it('keeps upstream connections alive across misses', async () => {
  const before = originConnections;
  for (let index = 0; index < 10; index++) {
    const response = await fetchOnce(`${nginx.url}/sequential-${index}`, { host });
    expect(response.status).toBe(200);
  }
  // Ten sequential misses, at most one new connection per nginx worker.
  expect(originConnections - before).toBeLessThanOrEqual(2);
});

it('collapses concurrent misses for one URL into one origin request', async () => {
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => fetchOnce(`${nginx.url}/collapsed`, { host })),
  );
  expect(responses.every((response) => response.body.toString() === 'body of /collapsed')).toBe(
    true,
  );
  expect(originRequests.filter((url) => url === '/collapsed')).toHaveLength(1);
});
