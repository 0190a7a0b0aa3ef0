// Worker threads share the traffic port through SO_REUSEPORT; a second edge of the same user that
// did the same would silently take a share of the first one's connections. The edge binds the port
// alone first, so a port in use fails its start instead.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime } from '../harness/contract/runtime-process.ts';
import { freePort } from '../harness/services/index.ts';
import { edgeProcessEnv } from './edge-process-env.ts';
import { get, sleep } from './harness.ts';

describe('the traffic port of an edge with worker threads', () => {
  let dir: string;
  let sitesFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'traffic-port-'));
    sitesFile = join(dir, 'sites.json');
    await writeFile(
      sitesFile,
      JSON.stringify({ sites: [{ id: 'p', hosts: ['p.test'], origin: 'http://127.0.0.1:9' }] }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const startEdge = async (trafficPort: number) =>
    startRuntime(
      edgeProcessEnv({ sitesFile, trafficPort, managementPort: await freePort(), workers: 2 }),
    );

  it.each([
    ['a plain listener', false],
    ['another edge (SO_REUSEPORT)', true],
  ])('fails the start when %s holds it', async (_name, reusePort) => {
    const port = await freePort();
    const holder: Server = createServer();
    holder.listen({ port, host: '127.0.0.1', reusePort });
    await once(holder, 'listening');
    const edge = await startEdge(port);
    try {
      for (let i = 0; i < 100 && !edge.exited(); i++) await sleep(100);
      expect(edge.exited()).toBe(true);
      expect(await edge.stop()).not.toBe(0);
      expect(edge.output()).toContain('EADDRINUSE');
    } finally {
      await edge.stop();
      holder.close();
    }
  });

  it('is served by every traffic thread once it is free', async () => {
    const port = await freePort();
    const edge = await startEdge(port);
    try {
      let answered = false;
      for (let i = 0; i < 100 && !answered; i++) {
        await sleep(100);
        const reply = await get(`http://127.0.0.1:${port}`, '/', { host: 'unknown.test' }).catch(
          () => undefined,
        );
        answered = reply?.status === 404;
      }
      expect(answered).toBe(true);
    } finally {
      await edge.stop();
    }
  });
});
