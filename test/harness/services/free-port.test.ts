// freePort: ports below the ephemeral range, distinct for concurrent callers, never one in use.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { blockOfThisWorker, fetchRefusedPorts, freePort } from './free-port.ts';

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

  test('never hands out a port fetch refuses to connect to', async () => {
    // The premise: fetch refuses 10080 even with a server listening there (a plain TCP client
    // gets through), so a readiness probe on it waits until its deadline.
    const server = await listen(10_080).catch(() => undefined);
    if (server !== undefined) {
      try {
        await expect(fetch('http://127.0.0.1:10080/')).rejects.toThrow();
      } finally {
        await new Promise((done) => server.close(done));
      }
    }
    expect(fetchRefusedPorts.has(10_080)).toBe(true);
    // Worker 1's block holds 10080; the first random pick lands on it, so freePort must pick again.
    // The next pick (10081) may itself be taken (the first test's ports stay handed out, another
    // jest worker may listen there), so more picks may follow: at least two, never 10080.
    const worker = process.env.JEST_WORKER_ID;
    process.env.JEST_WORKER_ID = '1';
    const random = jest
      .spyOn(Math, 'random')
      .mockReturnValueOnce((80 + 0.5) / 500)
      .mockReturnValueOnce((81 + 0.5) / 500);
    try {
      expect(blockOfThisWorker()[0]).toBe(10_000);
      const port = await freePort();
      expect(port).not.toBe(10_080);
      expect(random.mock.calls.length).toBeGreaterThanOrEqual(2);
    } finally {
      random.mockRestore();
      if (worker === undefined) delete process.env.JEST_WORKER_ID;
      else process.env.JEST_WORKER_ID = worker;
    }
  });
});
