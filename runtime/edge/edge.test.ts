// The edge against real origins on listen(0): routing, forwarding, caching, HEAD, conditionals,
// Range, invalidation, Vary, Cache-Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  get,
  type Origin,
  rawRequest,
  startOrigin,
  startTestEdge,
  type TestEdge,
} from '../../test/edge/harness.ts';

const host = { host: 'shop.test' };
let routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {};

function defaultRoute(req: IncomingMessage, res: ServerResponse) {
  const body = `hello ${req.url}`;
  res.writeHead(200, {
    'content-type': 'text/plain',
    'cache-control': 'max-age=60',
    etag: '"v1"',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

describe('edge', () => {
  let origin: Origin;
  let edge: TestEdge;
  beforeAll(async () => {
    origin = await startOrigin((req, res, body) => {
      const route = routes[(req.url ?? '').split('?')[0] ?? ''] ?? defaultRoute;
      route(req, res, body);
    });
    edge = await startTestEdge([
      { id: 'shop', hosts: ['shop.test', '*.shop.test'], origin: `${origin.url}/base` },
      {
        id: 'sorted',
        hosts: ['sorted.test'],
        origin: origin.url,
        cache: { queryString: 'sort', cookies: 'ignore' },
      },
    ]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });
  beforeEach(() => {
    origin.requests.length = 0;
    routes = {};
  });
  const hits = (path: string) => origin.requests.filter((r) => r.url === path).length;

  it('answers an unknown host with 404 and a clear body, never touching an origin', async () => {
    const reply = await get(edge.url, '/', { host: 'nope.test' });
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('no site is configured for host "nope.test"');
    expect(origin.requests).toHaveLength(0);
  });

  it('routes wildcard hosts, any case, with a port, to the site and its origin base path', async () => {
    const reply = await get(edge.url, '/w', { host: 'A.Shop.Test:8080' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('hello /base/w');
  });

  it('routes an absolute-form request by its target, not by Host (RFC 9112 §3.2.2)', async () => {
    const reply = await rawRequest(
      edge.trafficPort,
      'GET http://shop.test/abs HTTP/1.1\r\nHost: nope.test\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1.1 200/);
    expect(reply).toContain('hello /base/abs');
  });

  it('misses, stores, then hits with Age and Cache-Status', async () => {
    const first = await get(edge.url, '/a', host);
    expect(first.status).toBe(200);
    expect(first.body).toBe('hello /base/a');
    expect(first.headers['cache-status']).toMatch(
      /^edgeplane;\s?fwd=uri-miss;\s?fwd-status=200;\s?stored$/,
    );
    const second = await get(edge.url, '/a', host);
    expect(second.body).toBe('hello /base/a');
    expect(second.headers['cache-status']).toMatch(/^edgeplane;\s?hit;\s?ttl=(59|60)$/);
    expect(second.headers.age).toMatch(/^[01]$/);
    expect(second.headers.via).toBe('1.1 edgeplane');
    expect(hits('/base/a')).toBe(1);
  });

  it('forwards X-Forwarded-For/-Proto/-Host and Via, sets Host to the origin, drops hop-by-hop fields', async () => {
    const reply = await rawRequest(
      edge.trafficPort,
      'GET /fwd HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 203.0.113.9\r\n' +
        'Connection: close, x-secret\r\nX-Secret: hop\r\nKeep-Alive: timeout=5\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1.1 200/);
    const seen = origin.requests[0]?.headers;
    expect(seen?.['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen?.['x-forwarded-proto']).toBe('http');
    expect(seen?.['x-forwarded-host']).toBe('shop.test');
    expect(seen?.via).toBe('1.1 edgeplane');
    expect(seen?.host).toBe(`127.0.0.1:${origin.port}`);
    expect(seen?.['x-secret']).toBeUndefined();
    expect(seen?.['keep-alive']).toBeUndefined();
  });

  it('does not store no-store, private or Set-Cookie responses, and says why', async () => {
    routes['/base/ns'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'no-store' });
      res.end('x');
    };
    routes['/base/priv'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'private, max-age=60' });
      res.end('x');
    };
    routes['/base/cookie'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', 'set-cookie': 'a=1' });
      res.end('x');
    };
    for (const path of ['/ns', '/priv', '/cookie']) {
      const first = await get(edge.url, path, host);
      await get(edge.url, path, host);
      expect(first.headers['cache-status']).not.toMatch(/stored/);
      expect(hits(`/base${path}`)).toBe(2);
    }
    const priv = await get(edge.url, '/priv', host);
    expect(priv.headers['cache-status']).toMatch(/detail=private/);
  });

  it('answers HEAD from a stored GET without a body', async () => {
    await get(edge.url, '/head', host);
    const head = await get(edge.url, '/head', host, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('hello /base/head'.length));
    expect(head.headers['cache-status']).toMatch(/hit/);
    expect(hits('/base/head')).toBe(1);
  });

  it('lets a 200 to a HEAD freshen the stored GET it matches, or mark it stale (§4.3.5)', async () => {
    const etag = '"h1"';
    routes['/base/headfresh'] = (req, res) => {
      const fresh = req.method === 'HEAD';
      res.writeHead(200, {
        etag,
        'cache-control': fresh ? 'max-age=60' : 'max-age=0',
        'x-from': req.method ?? '',
        'content-length': '4',
      });
      res.end(req.method === 'HEAD' ? undefined : 'body');
    };
    await get(edge.url, '/headfresh', host);
    const head = await get(edge.url, '/headfresh', host, 'HEAD');
    expect(head.status).toBe(200);
    expect(origin.requests.at(-1)?.method).toBe('HEAD');
    const hit = await get(edge.url, '/headfresh', host);
    expect(hit.headers['cache-status']).toMatch(/hit/);
    expect(hit.headers['x-from']).toBe('HEAD');
    expect(hit.body).toBe('body');
    expect(hits('/base/headfresh')).toBe(2);
  });

  it('answers client conditionals from cache with 304 and 412', async () => {
    await get(edge.url, '/cond', host);
    const notModified = await get(edge.url, '/cond', { ...host, 'if-none-match': '"v1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe('"v1"');
    expect(notModified.body).toBe('');
    const failed = await get(edge.url, '/cond', { ...host, 'if-match': '"other"' });
    expect(failed.status).toBe(412);
    expect(hits('/base/cond')).toBe(1);
  });

  it('serves Range requests from the complete stored body, and fills without forwarding Range', async () => {
    const first = await get(edge.url, '/range', { ...host, range: 'bytes=0-4' });
    // The fill asks for the whole object, then answers the range from it.
    expect(origin.requests[0]?.headers.range).toBeUndefined();
    expect(first.status).toBe(206);
    expect(first.body).toBe('hello');
    const part = await get(edge.url, '/range', { ...host, range: 'bytes=6-10' });
    expect(part.status).toBe(206);
    expect(part.body).toBe('/base');
    expect(part.headers['content-range']).toBe(`bytes 6-10/${'hello /base/range'.length}`);
    const bad = await get(edge.url, '/range', { ...host, range: 'bytes=999-' });
    expect(bad.status).toBe(416);
  });

  it('answers a Range request on a miss with 206 from the filled object when its length is known', async () => {
    routes['/base/sized'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', 'content-length': '10' });
      res.end('0123456789');
    };
    const first = await get(edge.url, '/sized', { ...host, range: 'bytes=2-4' });
    expect(first.status).toBe(206);
    expect(first.body).toBe('234');
    expect(first.headers['cache-status']).toMatch(/fwd=uri-miss;.*fwd-status=200;.*stored/);
    expect(origin.requests[0]?.headers.range).toBeUndefined();
    expect((await get(edge.url, '/sized', host)).body).toBe('0123456789');
    expect(hits('/base/sized')).toBe(1);
  });

  it('keys by the scheme the ingress reports, so X-Forwarded-Proto cannot poison http users', async () => {
    routes['/base/scheme'] = (req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60' });
      res.end(`proto ${req.headers['x-forwarded-proto']}`);
    };
    expect((await get(edge.url, '/scheme', { ...host, 'x-forwarded-proto': 'https' })).body).toBe(
      'proto https',
    );
    expect((await get(edge.url, '/scheme', host)).body).toBe('proto http');
    expect(
      (await get(edge.url, '/scheme', { ...host, 'x-forwarded-proto': 'javascript' })).body,
    ).toBe('proto http');
    expect(hits('/base/scheme')).toBe(2);
  });

  it('passes 103 Early Hints and 102 Processing from the origin through before the response', async () => {
    routes['/base/hints'] = (_req, res) => {
      res.writeProcessing();
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('final');
    };
    const reply = await rawRequest(
      edge.trafficPort,
      'GET /hints HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1.1 102 Processing\r\n\r\nHTTP\/1.1 103 Early Hints\r\n/);
    expect(reply).toMatch(/[Ll]ink: <\/style.css>; rel=preload; as=style/);
    expect(reply).toMatch(/HTTP\/1.1 200 OK[\s\S]*\r\nfinal\r\n/);
  });

  it('revalidates stale responses with the stored validator and freshens them from a 304', async () => {
    let version = 0;
    routes['/base/reval'] = (req, res) => {
      if (req.headers['if-none-match'] === '"r1"') {
        res.writeHead(304, { etag: '"r1"', 'cache-control': 'max-age=60', 'x-updated': 'yes' });
        res.end();
        return;
      }
      version++;
      res.writeHead(200, {
        etag: '"r1"',
        'cache-control': 'max-age=0',
        'content-type': 'text/plain',
      });
      res.end(`body ${version}`);
    };
    await get(edge.url, '/reval', host);
    const second = await get(edge.url, '/reval', host);
    expect(second.body).toBe('body 1');
    expect(second.headers['cache-status']).toMatch(/fwd=stale;\s?fwd-status=304/);
    expect(second.headers['x-updated']).toBe('yes');
    expect(origin.requests[1]?.headers['if-none-match']).toBe('"r1"');
    const third = await get(edge.url, '/reval', host);
    expect(third.headers['cache-status']).toMatch(/hit/);
    expect(hits('/base/reval')).toBe(2);
  });

  it('keys Vary variants separately and never serves Vary: *', async () => {
    routes['/base/vary'] = (req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', vary: 'Accept-Language' });
      res.end(`lang ${req.headers['accept-language']}`);
    };
    routes['/base/star'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', vary: '*' });
      res.end('star');
    };
    expect((await get(edge.url, '/vary', { ...host, 'accept-language': 'en' })).body).toBe(
      'lang en',
    );
    expect((await get(edge.url, '/vary', { ...host, 'accept-language': 'fr' })).body).toBe(
      'lang fr',
    );
    const en = await get(edge.url, '/vary', { ...host, 'accept-language': 'en' });
    expect(en.body).toBe('lang en');
    expect(en.headers['cache-status']).toMatch(/hit/);
    expect(hits('/base/vary')).toBe(2);
    await get(edge.url, '/star', host);
    await get(edge.url, '/star', host);
    expect(hits('/base/star')).toBe(2);
  });

  it('forwards unknown methods and invalidates on unsafe ones (RFC 9111 §4.4)', async () => {
    routes['/base/thing'] = (req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'cache-control': 'max-age=60' });
        res.end('thing');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`did ${req.method}`);
    };
    await get(edge.url, '/thing', host);
    await get(edge.url, '/thing', host);
    expect(hits('/base/thing')).toBe(1);
    const propfind = await get(edge.url, '/thing', host, 'PROPFIND');
    expect(propfind.body).toBe('did PROPFIND');
    const post = await get(edge.url, '/thing', host, 'POST', 'payload');
    expect(post.body).toBe('did POST');
    expect(origin.requests.find((r) => r.method === 'POST')?.body).toBe('payload');
    const after = await get(edge.url, '/thing', host);
    expect(after.headers['cache-status']).toMatch(/fwd=uri-miss/);
  });

  it("answers a method Node's parser does not know with a clean 400 (llhttp limits methods)", async () => {
    const reply = await rawRequest(
      edge.trafficPort,
      'FROBNICATE /thing HTTP/1.1\r\nHost: shop.test\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect(origin.requests).toHaveLength(0);
  });

  it('invalidates the same-origin Location and Content-Location of an unsafe request (§4.4)', async () => {
    routes['/base/form'] = (_req, res) => {
      res.writeHead(303, { location: '/listing', 'content-location': 'http://shop.test/detail' });
      res.end();
    };
    await get(edge.url, '/listing', host);
    await get(edge.url, '/detail', host);
    expect((await get(edge.url, '/listing', host)).headers['cache-status']).toMatch(/hit/);
    await get(edge.url, '/form', host, 'POST', 'x');
    expect((await get(edge.url, '/listing', host)).headers['cache-status']).toMatch(/fwd=uri-miss/);
    expect((await get(edge.url, '/detail', host)).headers['cache-status']).toMatch(/fwd=uri-miss/);
  });

  it('honours request only-if-cached (504 when absent) and no-cache (revalidates)', async () => {
    const absent = await get(edge.url, '/oic', { ...host, 'cache-control': 'only-if-cached' });
    expect(absent.status).toBe(504);
    expect(hits('/base/oic')).toBe(0);
    await get(edge.url, '/oic', host);
    const present = await get(edge.url, '/oic', { ...host, 'cache-control': 'only-if-cached' });
    expect(present.status).toBe(200);
    await get(edge.url, '/oic', { ...host, 'cache-control': 'no-cache' });
    expect(hits('/base/oic')).toBe(2);
  });

  it('lets CDN-Cache-Control take precedence over Cache-Control', async () => {
    routes['/base/cdn'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=30' });
      res.end('cdn');
    };
    await get(edge.url, '/cdn', host);
    const second = await get(edge.url, '/cdn', host);
    expect(second.headers['cache-status']).toMatch(/hit/);
    expect(hits('/base/cdn')).toBe(1);
  });

  it('sorts the query string into the key when the site says so, and bypasses on cookies by default', async () => {
    await get(edge.url, '/q?b=2&a=1', { host: 'sorted.test' });
    const sorted = await get(edge.url, '/q?a=1&b=2', { host: 'sorted.test', cookie: 'x=1' });
    expect(sorted.headers['cache-status']).toMatch(/hit/);
    await get(edge.url, '/ck', host);
    const withCookie = await get(edge.url, '/ck', { ...host, cookie: 'session=1' });
    expect(withCookie.headers['cache-status']).toMatch(/fwd=bypass/);
    expect(hits('/base/ck')).toBe(2);
  });

  it('needs public, s-maxage or must-revalidate to store an answer to Authorization (§3.5)', async () => {
    routes['/base/auth'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60' });
      res.end('secret');
    };
    routes['/base/authpub'] = (_req, res) => {
      res.writeHead(200, { 'cache-control': 'public, max-age=60' });
      res.end('shared');
    };
    await get(edge.url, '/auth', { ...host, authorization: 'Bearer a' });
    await get(edge.url, '/auth', { ...host, authorization: 'Bearer a' });
    expect(hits('/base/auth')).toBe(2);
    await get(edge.url, '/authpub', { ...host, authorization: 'Bearer a' });
    await get(edge.url, '/authpub', { ...host, authorization: 'Bearer b' });
    expect(hits('/base/authpub')).toBe(1);
  });
});
