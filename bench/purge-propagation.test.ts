// timePurge and primeEverywhere against real HTTP servers on listen(0): stand-in edges that answer
// hits until their copy is purged, and a purge API that purges each edge after its own delay.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EdgeProbe, primeEverywhere, timePurge } from './purge-propagation.ts';

const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An edge that caches every path it is asked for and answers with Cache-Status as edgeplane's does. */
async function standInEdge() {
  const cached = new Set<string>();
  const hosts: (string | undefined)[] = [];
  const url = await listen(
    createServer((req, res) => {
      hosts.push(req.headers.host);
      const path = req.url ?? '/';
      const hit = cached.has(path);
      cached.add(path);
      res.writeHead(200, {
        'cache-status': hit ? 'edgeplane; hit; ttl=86399' : 'edgeplane; fwd=miss; stored',
      });
      res.end('x'.repeat(1024));
    }),
  );
  return { url, cached, hosts };
}

describe('purge propagation timing', () => {
  it('primes every edge to a hit, then times each edge until it stops serving the object', async () => {
    const edges = await Promise.all([standInEdge(), standInEdge(), standInEdge()]);
    const probe: EdgeProbe = {
      edges: edges.map((edge) => edge.url),
      host: 'site.example',
      cacheName: 'edgeplane',
    };
    await primeEverywhere(probe, '/obj');
    for (const edge of edges) {
      expect(edge.cached.has('/obj')).toBe(true);
      expect(edge.hosts.every((host) => host === 'site.example')).toBe(true);
    }
    const delays = [0, 30, 60];
    // When each edge really dropped the object, in ms after sendPurge began. Node's timers run on
    // libuv's millisecond loop clock, so a 30 ms timer may fire 29.9 ms after by performance.now().
    const purgedAfterMs: number[] = [];
    const sample = await timePurge(probe, {
      path: '/obj',
      sendPurge: async () => {
        const sent = performance.now();
        // The API answers at once; each edge applies the purge after its own delay.
        for (const [index, delay] of delays.entries()) {
          setTimeout(() => {
            purgedAfterMs[index] = performance.now() - sent;
            edges[index]?.cached.delete('/obj');
          }, delay);
        }
      },
      pollIntervalMs: 1,
      timeoutMs: 5000,
    });
    expect(sample.edgeMs).toHaveLength(3);
    sample.edgeMs.forEach((ms, index) => {
      expect(ms).toBeDefined();
      // No edge can be seen purged before it was (timePurge's clock starts before sendPurge's).
      expect(ms as number).toBeGreaterThanOrEqual(purgedAfterMs[index] as number);
      expect(purgedAfterMs[index]).toBeGreaterThanOrEqual((delays[index] as number) - 2);
    });
    expect(sample.apiMs).toBeGreaterThanOrEqual(0);
    // The first non-hit refilled each edge: the object is cached again.
    for (const edge of edges) expect(edge.cached.has('/obj')).toBe(true);
  });

  it('gives up on an edge that keeps serving the object, after the timeout', async () => {
    const [purged, stuck] = await Promise.all([standInEdge(), standInEdge()]);
    const probe: EdgeProbe = {
      edges: [purged.url, stuck.url],
      host: 'site.example',
      cacheName: 'edgeplane',
    };
    await primeEverywhere(probe, '/obj');
    const sample = await timePurge(probe, {
      path: '/obj',
      sendPurge: async () => {
        purged.cached.delete('/obj');
      },
      pollIntervalMs: 5,
      timeoutMs: 300,
    });
    expect(sample.edgeMs[0]).toBeDefined();
    expect(sample.edgeMs[1]).toBeUndefined();
  });

  it('fails the purge at once when the API refuses it, instead of polling to the timeout', async () => {
    const edge = await standInEdge();
    const probe: EdgeProbe = { edges: [edge.url], host: 'site.example', cacheName: 'edgeplane' };
    await primeEverywhere(probe, '/obj');
    const started = Date.now();
    await expect(
      timePurge(probe, {
        path: '/obj',
        sendPurge: async () => {
          throw new Error('POST /v1/purges answered 429');
        },
        pollIntervalMs: 5,
        timeoutMs: 60_000,
      }),
    ).rejects.toThrow('POST /v1/purges answered 429');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('says which edge never answered a hit when priming', async () => {
    const never = await listen(
      createServer((_req, res) => {
        res.writeHead(200, { 'cache-status': 'edgeplane; fwd=uri-miss' });
        res.end();
      }),
    );
    const probe: EdgeProbe = { edges: [never], host: 'site.example', cacheName: 'edgeplane' };
    await expect(primeEverywhere(probe, '/obj', 3)).rejects.toThrow(
      `${never}/obj never answered a hit after 3 requests`,
    );
  });
});
