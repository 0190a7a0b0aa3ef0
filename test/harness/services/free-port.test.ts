// freePort: ports below the ephemeral range, distinct for concurrent callers, never one in use.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { blockOfThisWorker, freePort } from './free-port.ts';

const ephemeralLow = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
);

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('freePort', () => {
  test('hands out distinct ports below the ephemeral range, each of which can be listened on', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    const servers = await Promise.all(ports.map(listen));
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  });

  test('never hands out a port something listens on', async () => {
    // Everything in this worker's block but three ports listens: a pick that did not check would
    // almost always land on one of them.
    const [first, last] = blockOfThisWorker();
    const listening = new Map<number, Server>();
    const spared = new Set([first + 7, first + 211, last - 3]);
    for (let port = first; port <= last; port++) {
      if (spared.has(port)) continue;
      const server = await listen(port).catch(() => undefined);
      if (server !== undefined) listening.set(port, server);
    }
    try {
      expect(listening.size).toBeGreaterThan(400);
      for (let call = 0; call < 10; call++) expect(listening.has(await freePort())).toBe(false);
    } finally {
      await Promise.all(
        [...listening.values()].map((server) => new Promise((done) => server.close(done))),
      );
    }
  });
});
