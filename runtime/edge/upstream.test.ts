import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Upstream, type UpstreamBody, UpstreamError } from './upstream.ts';

const big = Buffer.alloc(8 * 1024 * 1024);
for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');

let server: Server;
let origin: string;
let upstream: Upstream;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200, { 'content-length': big.length });
      res.end(big);
    } else if (req.url === '/broken') {
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(Buffer.alloc(10_000));
      setTimeout(() => req.socket.destroy(), 20);
    } else if (req.url === '/early-hints') {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
      res.end('after hints');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`small ${req.url}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path: string) =>
  upstream.request({ origin, path, method: 'GET', headers: ['host', 'origin.test'] });

async function readAll(body: UpstreamBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe.each(['raw', 'undici'] as const)('Upstream (%s client)', (originClient) => {
  beforeAll(() => {
    upstream = new Upstream({
      connectTimeoutMs: 2000,
      firstByteTimeoutMs: 5000,
      idleTimeoutMs: 60_000,
      connectionsPerOrigin: 1,
      originClient,
    });
  });

  afterAll(() => upstream.close());

  it('hands over status, lower-case headers (repeated ones as arrays) and the body', async () => {
    const response = await get('/early-hints');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect((await readAll(response.body)).toString()).toBe('after hints');
  });

  it('relays interim responses before the final one', async () => {
    const interim: { status: number; link: unknown }[] = [];
    const response = await upstream.request({
      origin,
      path: '/early-hints',
      method: 'GET',
      headers: ['host', 'origin.test'],
      onInterim: (status, fields) => interim.push({ status, link: fields.link }),
    });
    expect(interim).toEqual([{ status: 103, link: '</style.css>; rel=preload; as=style' }]);
    expect((await readAll(response.body)).toString()).toBe('after hints');
  });

  it('pauses the origin while a slow reader lets chunks queue up, and loses no byte', async () => {
    const response = await get('/big');
    const hash = createHash('sha1');
    let bytes = 0;
    let mostAtOnce = 0;
    for (;;) {
      // A reader slower than loopback: the queue would hold the whole 8 MB without backpressure.
      await new Promise((resolve) => setTimeout(resolve, 2));
      const chunks = response.body.take();
      let taken = 0;
      for (const chunk of chunks) {
        hash.update(chunk);
        taken += chunk.length;
      }
      bytes += taken;
      mostAtOnce = Math.max(mostAtOnce, taken);
      if (response.body.ended) break;
      await response.body.wait();
    }
    expect(bytes).toBe(big.length);
    expect(hash.digest('hex')).toBe(sha1(big));
    expect(mostAtOnce).toBeLessThanOrEqual(1024 * 1024);
  });

  it('drops a body on resume(), which frees the connection for the next request', async () => {
    const dropped = await get('/big');
    dropped.body.resume();
    // One connection in this pool and a 60 s idle timeout: an undrained body would hold the
    // next request past the test's timeout.
    const next = await get('/next');
    expect((await readAll(next.body)).toString()).toBe('small /next');
  });

  it('fails the body with a reset when the origin breaks off midway', async () => {
    const response = await get('/broken');
    expect(response.status).toBe(200);
    const failure = await readAll(response.body).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).failure).toBe('reset');
  });

  it('rejects with a connect failure when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await upstream
      .request({
        origin: `http://127.0.0.1:${port}`,
        path: '/',
        method: 'GET',
        headers: ['host', 'x'],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).failure).toBe('connect');
  });
});
