// Collapsing and stale serving against real origins: 1,000 concurrent misses make one origin
// request; stale-while-revalidate refreshes in the background; stale-if-error covers an origin
// process that was killed, one that times out, and one that answers 5xx.
import type { ServerResponse } from 'node:http';
import {
  get,
  type Origin,
  sleep,
  startOrigin,
  startOriginProcess,
  startTestEdge,
  type TestEdge,
} from './harness.ts';

describe('collapsing', () => {
  let origin: Origin;
  let edge: TestEdge;
  const held: ServerResponse[] = [];
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      if (req.url === '/private') {
        setTimeout(() => {
          res.writeHead(200, { 'cache-control': 'private' });
          res.end('mine');
        }, 200);
        return;
      }
      // Hold the answer until the test has sent every request.
      held.push(res);
    });
    edge = await startTestEdge([{ id: 'c', hosts: ['c.test'], origin: origin.url }]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it('sends 1,000 concurrent requests for one cold URL to the origin exactly once', async () => {
    const replies = Array.from({ length: 1000 }, () => get(edge.url, '/cold', { host: 'c.test' }));
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(20);
    // Give every request time to arrive and join the fill before the origin answers.
    await sleep(500);
    for (const res of held.splice(0)) {
      res.writeHead(200, {
        'cache-control': 'max-age=60',
        'content-type': 'text/plain',
        'content-length': '10',
      });
      res.end('one answer');
    }
    const all = await Promise.all(replies);
    expect(origin.requests.filter((r) => r.url === '/cold')).toHaveLength(1);
    expect(all.every((reply) => reply.status === 200 && reply.body === 'one answer')).toBe(true);
    const statuses = all.map((reply) => String(reply.headers['cache-status']));
    const collapsed = statuses.filter((status) => /collapsed/.test(status)).length;
    const hits = statuses.filter((status) => /;\s?hit/.test(status)).length;
    const filled = statuses.filter((status) => /stored/.test(status)).length;
    // One filled it; the rest waited on that fill, or (arriving after it) hit what it stored.
    expect(filled).toBe(1);
    expect(collapsed).toBeGreaterThan(0);
    expect(filled + collapsed + hits).toBe(1000);
  });

  it('sends waiters to the origin themselves when the response turns out uncacheable', async () => {
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => get(edge.url, '/private', { host: 'c.test' })),
    );
    expect(replies.every((reply) => reply.body === 'mine')).toBe(true);
    expect(origin.requests.filter((r) => r.url === '/private')).toHaveLength(5);
  });
});

describe('stale-while-revalidate', () => {
  it('serves stale at once and refreshes in the background', async () => {
    let n = 0;
    const origin = await startOrigin((_req, res) => {
      n++;
      res.writeHead(200, { 'cache-control': 'max-age=1, stale-while-revalidate=60' });
      res.end(`version ${n}`);
    });
    const edge = await startTestEdge([{ id: 's', hosts: ['s.test'], origin: origin.url }]);
    try {
      expect((await get(edge.url, '/', { host: 's.test' })).body).toBe('version 1');
      await sleep(2100);
      const stale = await get(edge.url, '/', { host: 's.test' });
      expect(stale.body).toBe('version 1');
      expect(stale.headers['cache-status']).toMatch(/detail=stale-while-revalidate/);
      for (let i = 0; i < 50 && n < 2; i++) await sleep(20);
      await sleep(50);
      const fresh = await get(edge.url, '/', { host: 's.test' });
      expect(fresh.body).toBe('version 2');
      expect(fresh.headers['cache-status']).toMatch(/hit/);
    } finally {
      await edge.close();
      await origin.close();
    }
  });
});

describe('stale-if-error', () => {
  const headers = {
    'cache-control': 'max-age=1, stale-if-error=600',
    'content-type': 'text/plain',
  };

  it('serves stale when the origin process has been killed', async () => {
    const origin = await startOriginProcess(headers);
    const edge = await startTestEdge([{ id: 'k', hosts: ['k.test'], origin: origin.url }]);
    try {
      expect((await get(edge.url, '/page', { host: 'k.test' })).body).toBe('origin body 1');
      await origin.stop();
      await sleep(1100);
      const stale = await get(edge.url, '/page', { host: 'k.test' });
      expect(stale.status).toBe(200);
      expect(stale.body).toBe('origin body 1');
      expect(stale.headers['cache-status']).toMatch(/fwd=stale;.*detail=stale-if-error/);
      // Nothing stale to fall back on: a clean 502.
      const cold = await get(edge.url, '/never', { host: 'k.test' });
      expect(cold.status).toBe(502);
      expect(cold.body).toContain('origin unreachable');
    } finally {
      await edge.close();
      await origin.stop();
    }
  });

  it('serves stale when the origin times out or answers 5xx, and 504s a must-revalidate one', async () => {
    let mode: 'ok' | 'slow' | '503' = 'ok';
    const origin = await startOrigin((req, res) => {
      if (mode === 'slow') return; // never answers: the first-byte timeout fires
      if (mode === '503') {
        res.writeHead(503);
        res.end('down');
        return;
      }
      const mustRevalidate = req.url === '/strict';
      res.writeHead(
        200,
        mustRevalidate ? { 'cache-control': 'max-age=1, must-revalidate' } : headers,
      );
      res.end(`ok ${req.url}`);
    });
    const edge = await startTestEdge([{ id: 't', hosts: ['t.test'], origin: origin.url }], {
      EDGEPLANE_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: '300',
    });
    try {
      await get(edge.url, '/a', { host: 't.test' });
      await get(edge.url, '/strict', { host: 't.test' });
      await sleep(1100);
      mode = 'slow';
      const timedOut = await get(edge.url, '/a', { host: 't.test' });
      expect(timedOut.body).toBe('ok /a');
      expect(timedOut.headers['cache-status']).toMatch(/stale-if-error/);
      const strict = await get(edge.url, '/strict', { host: 't.test' });
      expect(strict.status).toBe(504);
      mode = '503';
      const failed = await get(edge.url, '/a', { host: 't.test' });
      expect(failed.status).toBe(200);
      expect(failed.body).toBe('ok /a');
      const strict503 = await get(edge.url, '/strict', { host: 't.test' });
      expect(strict503.status).toBe(503);
    } finally {
      await edge.close();
      origin.server.closeAllConnections();
      await origin.close();
    }
  });
});
