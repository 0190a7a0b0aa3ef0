// Brotli and gzip from Accept-Encoding with q-values, compressed variants stored (not recomputed
// per hit), pre-compressed origin bodies passed through, Vary right.
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { get, type Origin, startOrigin, startTestEdge, type TestEdge } from './harness.ts';

const text = 'edgeplane compresses text. '.repeat(200);
const host = { host: 'z.test' };

describe('compression', () => {
  let origin: Origin;
  let edge: TestEdge;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      const path = req.url ?? '/';
      if (path === '/pre') {
        res.writeHead(200, {
          'content-type': 'text/plain',
          'content-encoding': 'gzip',
          'cache-control': 'max-age=60',
          vary: 'Accept-Encoding',
        });
        res.end(gzipSync(Buffer.from(text)));
        return;
      }
      if (path === '/image') {
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=60' });
        res.end(Buffer.alloc(4000, 7));
        return;
      }
      if (path === '/small') {
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
        res.end('tiny');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'max-age=60',
        etag: '"t1"',
      });
      res.end(text);
    });
    edge = await startTestEdge([
      { id: 'z', hosts: ['z.test'], origin: origin.url },
      { id: 'off', hosts: ['off.test'], origin: origin.url, cache: { compression: false } },
    ]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it('compresses the miss on the way through and every hit from one stored copy per coding', async () => {
    const miss = await get(edge.url, '/page', { ...host, 'accept-encoding': 'gzip, br' });
    expect(miss.headers['content-encoding']).toBe('br');
    expect(miss.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(miss.raw).toString()).toBe(text);
    const br1 = await get(edge.url, '/page', { ...host, 'accept-encoding': 'br' });
    const br2 = await get(edge.url, '/page', { ...host, 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect(br1.headers['cache-status']).toMatch(/hit/);
    expect(br1.headers['content-encoding']).toBe('br');
    expect(br1.headers.etag).toBe('W/"t1"');
    expect(br1.raw.length).toBeLessThan(text.length / 5);
    // The same bytes: the stored brotli copy, not a fresh compression.
    expect(Buffer.compare(br1.raw, br2.raw)).toBe(0);
    expect(brotliDecompressSync(br1.raw).toString()).toBe(text);
    const gzip = await get(edge.url, '/page', { ...host, 'accept-encoding': 'br;q=0.1, gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.raw).toString()).toBe(text);
    const identity = await get(edge.url, '/page', {
      ...host,
      'accept-encoding': 'br;q=0, gzip;q=0',
    });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    expect(identity.headers.etag).toBe('"t1"');
    expect(identity.body).toBe(text);
    const none = await get(edge.url, '/page', host);
    expect(none.body).toBe(text);
    expect(origin.requests.filter((r) => r.url === '/page')).toHaveLength(1);
  });

  it('passes through bodies the origin already compressed, keyed by its Vary', async () => {
    const first = await get(edge.url, '/pre', { ...host, 'accept-encoding': 'gzip' });
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(first.raw).toString()).toBe(text);
    const second = await get(edge.url, '/pre', { ...host, 'accept-encoding': 'gzip' });
    expect(second.headers['cache-status']).toMatch(/hit/);
    expect(Buffer.compare(first.raw, second.raw)).toBe(0);
    // A different Accept-Encoding is a different variant per the origin's Vary.
    await get(edge.url, '/pre', { ...host, 'accept-encoding': 'br' });
    expect(origin.requests.filter((r) => r.url === '/pre')).toHaveLength(2);
  });

  it('leaves images, small bodies and sites with compression off alone', async () => {
    for (const [path, h] of [
      ['/image', host],
      ['/small', host],
      ['/page', { host: 'off.test' }],
    ] as const) {
      await get(edge.url, path, { ...h, 'accept-encoding': 'br, gzip' });
      const reply = await get(edge.url, path, { ...h, 'accept-encoding': 'br, gzip' });
      expect(reply.headers['content-encoding']).toBeUndefined();
    }
  });
});
