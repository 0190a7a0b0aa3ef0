// Large fast hits sent from the body's sealed memfd with sendfile (zero-copy/), against a real
// origin and real client sockets: the same bytes as a write, with readers slower than the socket,
// pipelined, reset mid-body, and with EDGEPLANE_ZERO_COPY=off.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { type Origin, startOrigin } from '../../../test/edge/harness.ts';
import { sendFileMinBytes } from '../zero-copy/body-files.ts';
import { fastHitStats } from './index.ts';
import {
  askOnce,
  type FastHitEdge,
  getRequest,
  type RawResponse,
  splitResponses,
  startFastHitEdge,
  startTestTrafficEdge,
  type TestTrafficEdge,
} from './testing.ts';

const bodies: Record<string, Buffer> = {
  '/big': randomBytes(100 * 1024),
  // Larger than loopback's socket buffers together (4 MiB send, 6 MiB receive by default).
  '/huge': randomBytes(16 * 1024 * 1024),
  '/small': randomBytes(sendFileMinBytes - 1),
};
const host = 'zc.test';
const sites = (origin: Origin) => [{ id: 'zc', hosts: [host], origin: origin.url }];

function expectHit(response: RawResponse | undefined, path: string): void {
  const body = bodies[path] as Buffer;
  expect(response?.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(response?.head).toMatch(/\r\ncache-status: edgeplane; hit; ttl=\d+\r\n/);
  expect(response?.head).toContain(`\r\ncontent-length: ${body.length}\r\n`);
  expect(response?.body.length).toBe(body.length);
  expect(response?.body.equals(body)).toBe(true);
}

/** A client connection that reads only when told to. */
async function lazyClient(
  port: number,
): Promise<{ socket: Socket; read(count: number): Promise<RawResponse[]> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.pause();
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    socket,
    async read(count) {
      socket.resume();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const got = splitResponses(Buffer.concat(chunks));
        if (got.length >= count || Date.now() > deadline) return got;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

describe('zero-copy fast hits', () => {
  let origin: Origin;
  let edge: FastHitEdge;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      const body = bodies[req.url ?? ''];
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'cache-control': 'max-age=600',
      });
      res.end(body);
    });
    edge = await startFastHitEdge(sites(origin));
    for (const path of Object.keys(bodies)) await askOnce(edge.port, getRequest(host, path));
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it.each(['/big', '/huge'])(
    'writes the first fast hit on %s, then sends the next from its file, byte for byte',
    async (path) => {
      const before = edge.stats.sentFromFile;
      const served = edge.stats.served;
      const [written] = await askOnce(edge.port, getRequest(host, path));
      expectHit(written, path);
      expect(edge.stats.sentFromFile).toBe(before);
      const [sent] = await askOnce(edge.port, getRequest(host, path));
      expectHit(sent, path);
      expect(edge.stats.served).toBe(served + 2);
      expect(edge.stats.sentFromFile).toBe(before + 1);
    },
  );

  it('writes a body under the threshold as before', async () => {
    const before = edge.stats.sentFromFile;
    for (let i = 0; i < 3; i++) {
      const [response] = await askOnce(edge.port, getRequest(host, '/small'));
      expectHit(response, '/small');
    }
    expect(edge.stats.sentFromFile).toBe(before);
  });

  it('queues what the socket did not take for a reader slower than the socket, then answers the next request', async () => {
    // Asked for before, so its file is made now if not yet.
    await askOnce(edge.port, getRequest(host, '/huge'));
    const client = await lazyClient(edge.port);
    const before = edge.stats.sentFromFile;
    client.socket.write(getRequest(host, '/huge'));
    // The client reads nothing meanwhile: most of the 16 MiB waits on the edge's socket.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(edge.stats.sentFromFile).toBe(before + 1);
    client.socket.write(getRequest(host, '/big'));
    const [first, second] = await client.read(2);
    expectHit(first, '/huge');
    expectHit(second, '/big');
    client.socket.destroy();
  });

  it('answers a pipelined batch of large hits in order', async () => {
    const client = await lazyClient(edge.port);
    client.socket.write(
      getRequest(host, '/big') + getRequest(host, '/huge') + getRequest(host, '/big'),
    );
    const responses = await client.read(3);
    expect(responses).toHaveLength(3);
    expectHit(responses[0], '/big');
    expectHit(responses[1], '/huge');
    expectHit(responses[2], '/big');
    client.socket.destroy();
  });

  it('keeps serving after a client resets in the middle of a body', async () => {
    for (let i = 0; i < 5; i++) {
      const client = await lazyClient(edge.port);
      client.socket.write(getRequest(host, '/huge'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      client.socket.resetAndDestroy();
    }
    const [response] = await askOnce(edge.port, getRequest(host, '/huge'));
    expectHit(response, '/huge');
  });
});

describe('EDGEPLANE_ZERO_COPY=off', () => {
  let origin: Origin;
  let edge: TestTrafficEdge;
  beforeAll(async () => {
    origin = await startOrigin((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=600' });
      res.end(bodies['/big']);
    });
    edge = await startTestTrafficEdge(sites(origin), { EDGEPLANE_ZERO_COPY: 'off' });
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it('writes large hits, with the same bytes', async () => {
    await askOnce(edge.port, getRequest(host, '/big'));
    const [response] = await askOnce(edge.port, getRequest(host, '/big'));
    expectHit(response, '/big');
    const stats = fastHitStats(edge.traffic.server);
    expect(stats?.served).toBe(1);
    expect(stats?.sentFromFile).toBe(0);
  });
});
