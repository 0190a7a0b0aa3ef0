// Storage: the disk tier survives a restart; objects over the max size are streamed, not stored;
// large bodies reach the client before the origin has finished sending them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { get, type Origin, sleep, startOrigin, startTestEdge } from './harness.ts';

describe('storage', () => {
  let origin: Origin;
  let releaseSlow: (() => void) | undefined;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      if (req.url === '/big' || req.url === '/big-chunked') {
        const body = Buffer.alloc(3 * 1024 * 1024, 1);
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'cache-control': 'max-age=60',
          ...(req.url === '/big' ? { 'content-length': String(body.length) } : {}),
        });
        res.end(body);
        return;
      }
      if (req.url === '/slow') {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'cache-control': 'max-age=60',
        });
        res.write(Buffer.alloc(64 * 1024, 2));
        releaseSlow = () => res.end(Buffer.alloc(64 * 1024, 3));
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': 'max-age=600',
        'surrogate-key': 'k',
      });
      res.end(`disk ${req.url}`);
    });
  });
  afterAll(() => origin.close());
  beforeEach(() => {
    origin.requests.length = 0;
  });

  it('keeps the disk tier across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edge-disk-'));
    const env = { EDGEPLANE_CACHE_DISK_MB: '10', EDGEPLANE_CACHE_DISK_PATH: dir };
    const sites = [{ id: 'd', hosts: ['d.test'], origin: origin.url }];
    try {
      const first = await startTestEdge(sites, env);
      await get(first.url, '/persist', { host: 'd.test' });
      await sleep(100); // the disk write is asynchronous
      await first.close();
      const second = await startTestEdge(sites, env);
      try {
        const reply = await get(second.url, '/persist', { host: 'd.test' });
        expect(reply.body).toBe('disk /persist');
        expect(reply.headers['cache-status']).toMatch(/hit/);
        expect(origin.requests).toHaveLength(1);
        const metrics = await get(second.managementUrl, '/metrics');
        expect(metrics.body).toMatch(/edgeplane_edge_cache_objects\{tier="disk"\} 1/);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('streams objects over the max size without storing them', async () => {
    const edge = await startTestEdge([{ id: 'b', hosts: ['b.test'], origin: origin.url }], {
      EDGEPLANE_CACHE_MAX_OBJECT_MB: '1',
    });
    try {
      const first = await get(edge.url, '/big', { host: 'b.test' });
      expect(first.raw.length).toBe(3 * 1024 * 1024);
      expect(first.headers['cache-status']).toMatch(/detail=too-large/);
      await get(edge.url, '/big', { host: 'b.test' });
      expect(origin.requests.filter((r) => r.url === '/big')).toHaveLength(2);
      // Without a Content-Length the size is learnt while streaming: still not stored.
      for (let i = 0; i < 2; i++) {
        const chunked = await get(edge.url, '/big-chunked', { host: 'b.test' });
        expect(chunked.raw.length).toBe(3 * 1024 * 1024);
        // Its size was unknown when the headers went out: Cache-Status claims no `stored`.
        expect(chunked.headers['cache-status']).not.toMatch(/stored/);
      }
      expect(origin.requests.filter((r) => r.url === '/big-chunked')).toHaveLength(2);
    } finally {
      await edge.close();
    }
  });

  it('sends the first bytes of a body before the origin has sent the last', async () => {
    const edge = await startTestEdge([{ id: 'b', hosts: ['b.test'], origin: origin.url }]);
    try {
      const response = await request(`${edge.url}/slow`, { headers: { host: 'b.test' } });
      const reader = response.body[Symbol.asyncIterator]();
      const first = await reader.next();
      expect(first.done).toBe(false);
      // The origin still holds the rest of the body at this point.
      expect(releaseSlow).toBeDefined();
      releaseSlow?.();
      let total = (first.value as Buffer).length;
      for (let next = await reader.next(); !next.done; next = await reader.next())
        total += (next.value as Buffer).length;
      expect(total).toBe(128 * 1024);
      const hit = await get(edge.url, '/slow', { host: 'b.test' });
      expect(hit.headers['cache-status']).toMatch(/hit/);
    } finally {
      await edge.close();
    }
  });
});
