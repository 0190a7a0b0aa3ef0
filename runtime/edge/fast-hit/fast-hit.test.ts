// The fast path against the full handler on a real edge (single process, real origin on
// listen(0)): byte-identical answers for plain hits, and every other shape handed to node:http.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Origin, startOrigin } from '../../../test/edge/harness.ts';
import {
  askOnce,
  type FastHitEdge,
  getRequest,
  RawConnection,
  type RawResponse,
  splitResponses,
  startFastHitEdge,
  withoutClock,
} from './testing.ts';

const big = randomBytes(100 * 1024);
const huge = randomBytes(2 * 1024 * 1024);
const text = 'edge text '.repeat(150);

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/text': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'cache-control': 'max-age=600',
      etag: '"t1"',
      'surrogate-key': 'a b',
    });
    res.end(text);
  },
  '/big': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'cache-control': 'max-age=600',
    });
    res.end(big);
  },
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'cache-control': 'max-age=600' });
    res.end(huge);
  },
  '/lang': (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html',
      'cache-control': 'public, s-maxage=600',
      vary: 'Accept-Language',
    });
    res.end(`<p>${req.headers['accept-language'] ?? 'none'}</p>`);
  },
  '/gone': (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
    res.end('not here');
  },
  '/nodate': (_req, res) => {
    res.sendDate = false;
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=600' });
    res.end('png-ish');
  },
  '/layered': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'max-age=600',
      'cache-status': 'upstream-cache; hit',
      'x-many': ['one', 'two'],
    });
    res.end('{"a":1}');
  },
  '/private': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, max-age=600' });
    res.end('always revalidated');
  },
  '/short': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=1' });
    res.end('short-lived');
  },
};

/** The first response after `offset` bytes of what the connection received. */
async function nextResponse(
  connection: RawConnection,
  offset: number,
  afterHead: boolean,
): Promise<RawResponse | undefined> {
  const deadline = Date.now() + 5000;
  for (;;) {
    // After a HEAD answer (no body) the next response starts right after its head.
    const next = afterHead
      ? splitResponses(connection.bytes.subarray(offset))[0]
      : splitResponses(connection.bytes)[1];
    if (next !== undefined || Date.now() > deadline) return next;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const request = (path: string, lines: string[] = [], host = 'fast.test') =>
  getRequest(host, path, lines);

describe('fast path for cache hits', () => {
  let origin: Origin;
  let edge: FastHitEdge;
  let missCounter = 0;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      const route = routes[(req.url ?? '').split('?')[0] ?? ''];
      if (route !== undefined) return route(req, res);
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
      res.end(`origin ${req.url}`);
    });
    edge = await startFastHitEdge([
      { id: 'fast', hosts: ['fast.test'], origin: origin.url },
      { id: 'crumbs', hosts: ['crumbs.test'], origin: origin.url, cache: { cookies: 'ignore' } },
    ]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  /**
   * The full handler's answer and the fast path's answer to the same bytes. A first connection
   * fills the cache. A second one starts with a request the fast path never takes but the
   * handler treats as a plain hit (a field sent twice, which node:http joins), which
   * puts the connection on node:http, so its repeat of `bytes` gets the full handler's answer.
   * A third, new connection gets the fast path's.
   */
  async function bothPaths(bytes: string): Promise<{ full: RawResponse; fast: RawResponse }> {
    const fill = await RawConnection.open(edge.port);
    fill.send(bytes);
    await fill.responses(1);
    fill.close();
    const viaNode = await RawConnection.open(edge.port);
    const handedBefore = edge.stats.handedOver;
    viaNode.send(bytes.replace('\r\n\r\n', '\r\nX-Twice: 1\r\nX-Twice: 2\r\n\r\n'));
    await viaNode.responses(1);
    expect(edge.stats.handedOver).toBe(handedBefore + 1);
    viaNode.send(bytes);
    const [, full] = await viaNode.responses(2);
    viaNode.close();
    const fastConnection = await RawConnection.open(edge.port);
    const servedBefore = edge.stats.served;
    fastConnection.send(bytes);
    const [fast] = await fastConnection.responses(1);
    fastConnection.close();
    expect(edge.stats.served).toBe(servedBefore + 1);
    if (full === undefined || fast === undefined) throw new Error('no complete response');
    expect(full.head).toMatch(/\r\ncache-status: [^\r]*edgeplane; hit; ttl=\d+/);
    return { full, fast };
  }

  const identical: [string, string][] = [
    ['a plain 1 KB text hit', request('/text')],
    ['the same with a query string', request('/text?a=1&b=2')],
    ['a gzip variant made by the edge', request('/text?z', ['Accept-Encoding: gzip'])],
    ['a brotli variant with q-values', request('/text?z', ['Accept-Encoding: gzip;q=0.5, br'])],
    ['a 100 KB hit (head and body joined once, one write)', request('/big')],
    ['a 2 MB hit (head and stored body in one writev)', request('/huge')],
    ['a Vary: Accept-Language variant', request('/lang', ['Accept-Language: de'])],
    ['another variant of it', request('/lang', ['Accept-Language: fr'])],
    ['a cached 404', request('/gone')],
    ['a stored response without Date', request('/nodate')],
    ['an upstream Cache-Status and a repeated field', request('/layered')],
    ['X-Forwarded-Proto: https (its own key)', request('/text', ['X-Forwarded-Proto: https'])],
    ['Connection: keep-alive, odd header case', request('/text', ['cOnNeCtIoN: Keep-Alive'])],
    ['a cookie on a site that ignores cookies', request('/text', ['Cookie: a=1'], 'crumbs.test')],
    ['a Host with a port and upper case', request('/text', [], 'FAST.test:8080')],
  ];

  it.each(identical)('answers %s byte for byte as the full handler', async (_name, bytes) => {
    const { full, fast } = await bothPaths(bytes);
    expect(fast.head.startsWith('HTTP/1.1 ')).toBe(true);
    expect(withoutClock(fast.head)).toBe(withoutClock(full.head));
    expect(fast.body.equals(full.body)).toBe(true);
    expect(fast.head).toMatch(/\r\ncache-status: [^\r]*edgeplane; hit; ttl=\d+/);
    expect(fast.head).toMatch(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n$/);
  });

  it('sends a Date of its own only where the stored response has none, as node:http does', async () => {
    const { fast } = await bothPaths(request('/nodate'));
    expect(fast.head.match(/\r\ndate: /gi)).toHaveLength(1);
  });

  async function hitCount(): Promise<number> {
    const metric = await edge.registry.getSingleMetric('edgeplane_edge_requests_total')?.get();
    const hit = metric?.values.find(
      (v) => v.labels.site === 'fast' && v.labels.status === '2xx' && v.labels.cache === 'hit',
    );
    return hit?.value ?? 0;
  }

  it('logs and counts a fast hit like the full handler', async () => {
    const before = edge.logs.length;
    const connection = await RawConnection.open(edge.port);
    connection.send(request('/text?logged'));
    await connection.responses(1);
    connection.send(request('/text?logged'));
    await connection.responses(2);
    connection.close();
    const hitsBefore = await hitCount();
    const servedBefore = edge.stats.served;
    const fastConnection = await RawConnection.open(edge.port);
    fastConnection.send(request('/text?logged'));
    await fastConnection.responses(1);
    fastConnection.close();
    expect(edge.stats.served).toBe(servedBefore + 1);
    expect(await hitCount()).toBe(hitsBefore + 1);
    edge.traffic.ctx.observer.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = edge.logs
      .slice(before)
      .join('')
      .split('\n')
      .filter((line) => line.includes('/text?logged'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.cache)).toEqual(['miss', 'hit', 'hit']);
    const [, full, fast] = lines;
    for (const field of ['site', 'method', 'path', 'status', 'cache', 'bytes'])
      expect(fast?.[field]).toEqual(full?.[field]);
    expect(fast?.bytes).toBe(1500);
  });

  it('answers a pipelined batch of hits in order, all on the fast path', async () => {
    const warm = await RawConnection.open(edge.port);
    warm.send(request('/p1') + request('/p2') + request('/p3'));
    await warm.responses(3);
    warm.close();
    const servedBefore = edge.stats.served;
    const connection = await RawConnection.open(edge.port);
    connection.send(request('/p1') + request('/p2') + request('/p3') + request('/p2'));
    const replies = await connection.responses(4);
    connection.close();
    expect(replies.map((r) => r.body.toString())).toEqual([
      'origin /p1',
      'origin /p2',
      'origin /p3',
      'origin /p2',
    ]);
    expect(edge.stats.served).toBe(servedBefore + 4);
  });

  it('keeps the order when a miss sits between hits in one pipelined write', async () => {
    await askOnce(edge.port, request('/q1'));
    const servedBefore = edge.stats.served;
    const handledBefore = edge.stats.handled;
    const handedBefore = edge.stats.handedOver;
    const connection = await RawConnection.open(edge.port);
    const miss = `/q-miss-${++missCounter}`;
    connection.send(request('/q1') + request(miss) + request('/q1'));
    const replies = await connection.responses(3);
    connection.close();
    expect(replies.map((r) => r.body.toString())).toEqual([
      'origin /q1',
      `origin ${miss}`,
      'origin /q1',
    ]);
    // Both hits are answered fast, the miss by the handler on the same connection, in between.
    expect(edge.stats.served).toBe(servedBefore + 2);
    expect(edge.stats.handled).toBe(handledBefore + 1);
    expect(edge.stats.handedOver).toBe(handedBefore);
  });

  it('serves a stored response once it is past its freshness through the full handler', async () => {
    const warm = await RawConnection.open(edge.port);
    warm.send(request('/short'));
    await warm.responses(1);
    warm.close();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const servedBefore = edge.stats.served;
    const fetchedBefore = origin.requests.filter((r) => r.url === '/short').length;
    const connection = await RawConnection.open(edge.port);
    connection.send(request('/short'));
    const [reply] = await connection.responses(1);
    connection.close();
    expect(reply?.head).toMatch(/^HTTP\/1.1 200/);
    expect(edge.stats.served).toBe(servedBefore);
    expect(origin.requests.filter((r) => r.url === '/short').length).toBe(fetchedBefore + 1);
  });

  it('lets the handler answer when its own lookup fails, and keeps running', async () => {
    const warm = await RawConnection.open(edge.port);
    warm.send(request('/fault'));
    await warm.responses(1);
    warm.close();
    const sites = edge.traffic.ctx.sites;
    const lookup = sites.lookup.bind(sites);
    let calls = 0;
    sites.lookup = (host) => {
      if (calls++ === 0) throw new Error('injected lookup fault');
      return lookup(host);
    };
    const handledBefore = edge.stats.handled;
    try {
      const connection = await RawConnection.open(edge.port);
      connection.send(request('/fault'));
      const [reply] = await connection.responses(1);
      connection.close();
      expect(reply?.head).toMatch(/^HTTP\/1.1 200 /);
      expect(reply?.body.toString()).toBe('origin /fault');
      expect(edge.stats.handled).toBe(handledBefore + 1);
      expect(calls).toBe(2);
    } finally {
      sites.lookup = lookup;
    }
  });

  describe('answers the other plain GETs with the handler, keeping the connection', () => {
    const plainOthers: [string, string, RegExp][] = [
      ['a Cookie on a bypass site', request('/text', ['Cookie: s=1']), /^HTTP\/1.1 200 /],
      ['an unknown Host', request('/text', [], 'nowhere.test'), /^HTTP\/1.1 404 /],
      ['a response that needs revalidation (no-cache)', request('/private'), /^HTTP\/1.1 200 /],
      ['a miss', request('/handled-miss'), /^HTTP\/1.1 200 [\s\S]*fwd=uri-miss/],
      ['If-None-Match', request('/text', ['If-None-Match: "t1"']), /^HTTP\/1.1 304 /],
      [
        'If-Modified-Since',
        request('/text', ['If-Modified-Since: Sun, 01 Jan 2090 00:00:00 GMT']),
        /^HTTP\/1.1 304 /,
      ],
      ['Range', request('/text', ['Range: bytes=0-9']), /^HTTP\/1.1 206 /],
      ['Authorization', request('/text', ['Authorization: Bearer x']), /^HTTP\/1.1 200 /],
      [
        'Cache-Control on the request',
        request('/text', ['Cache-Control: max-age=0']),
        /^HTTP\/1.1 200 /,
      ],
      ['Pragma', request('/text', ['Pragma: no-cache']), /^HTTP\/1.1 200 /],
      ['HEAD', 'HEAD /text HTTP/1.1\r\nHost: fast.test\r\n\r\n', /^HTTP\/1.1 200 /],
    ];

    it.each(plainOthers)('%s', async (_name, bytes, expected) => {
      await askOnce(edge.port, request('/text') + request('/private'), 2);
      const servedBefore = edge.stats.served;
      const handledBefore = edge.stats.handled;
      const handedBefore = edge.stats.handedOver;
      const connection = await RawConnection.open(edge.port);
      connection.send(bytes);
      const noBody = bytes.startsWith('HEAD');
      const [reply] = await connection.responses(1, 5000, noBody);
      expect(reply?.head).toMatch(expected);
      // The connection stays on the fast path: a plain hit after it is answered fast.
      connection.send(request('/text'));
      const hit = await nextResponse(connection, reply?.head.length ?? 0, noBody);
      connection.close();
      expect(hit?.body.toString()).toBe(text);
      expect(edge.stats.handled).toBe(handledBefore + 1);
      expect(edge.stats.served).toBe(servedBefore + 1);
      expect(edge.stats.handedOver).toBe(handedBefore);
    });
  });

  describe('hands every other shape to node:http', () => {
    beforeAll(async () => {
      await askOnce(edge.port, request('/text') + request('/private'), 2);
    });

    const long = 'x'.repeat(17 * 1024);
    const manyHeaders = Array.from({ length: 101 }, (_, i) => `X-H${i}: v`);
    const fallbacks: [string, string, RegExp, { closes?: boolean; noBody?: boolean }?][] = [
      [
        'Connection: close',
        request('/text', ['Connection: close']),
        /^HTTP\/1.1 200 [\s\S]*Connection: close/,
        { closes: true },
      ],
      [
        'HTTP/1.0',
        'GET /text HTTP/1.0\r\nHost: fast.test\r\n\r\n',
        /^HTTP\/1.1 200 /,
        { closes: true },
      ],
      [
        'Expect: 100-continue',
        request('/text', ['Expect: 100-continue']),
        /^HTTP\/1.1 100 Continue/,
      ],
      [
        'an absolute-form target',
        'GET http://fast.test/text HTTP/1.1\r\nHost: fast.test\r\n\r\n',
        /^HTTP\/1.1 200 /,
      ],
      [
        'two Host headers',
        'GET /text HTTP/1.1\r\nHost: fast.test\r\nHost: fast.test\r\n\r\n',
        /^HTTP\/1.1 400 /,
        { closes: true },
      ],
      ['a repeated field', request('/text', ['Accept: a', 'Accept: b']), /^HTTP\/1.1 200 /],
      [
        'a malformed request line',
        'GET /text HTTP/1.1 extra\r\nHost: fast.test\r\n\r\n',
        /^HTTP\/1.1 400 Bad Request/,
        { closes: true },
      ],
      ['a bare LF', 'GET /text HTTP/1.1\nHost: fast.test\n\n', /^HTTP\/1.1 400 /, { closes: true }],
      [
        'a space before a colon',
        'GET /text HTTP/1.1\r\nHost : fast.test\r\n\r\n',
        /^HTTP\/1.1 400 /,
        { closes: true },
      ],
      [
        'headers over 16 KiB',
        request('/text', [`X-Long: ${long}`]),
        /^HTTP\/1.1 431 /,
        { closes: true },
      ],
      [
        'more than 100 header fields',
        request('/text', manyHeaders),
        /^HTTP\/1.1 431 /,
        { closes: true },
      ],
      [
        'a body (Content-Length)',
        'GET /text HTTP/1.1\r\nHost: fast.test\r\nContent-Length: 2\r\n\r\nok',
        /^HTTP\/1.1 200 /,
      ],
      [
        'Transfer-Encoding',
        'GET /text HTTP/1.1\r\nHost: fast.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        /^HTTP\/1.1 200 /,
      ],
      [
        'an Upgrade',
        request('/text', ['Connection: upgrade', 'Upgrade: websocket']),
        /^HTTP\/1.1 200 /,
      ],
    ];

    it.each(fallbacks)('%s', async (_name, bytes, expected, options = {}) => {
      const servedBefore = edge.stats.served;
      const handedBefore = edge.stats.handedOver;
      const connection = await RawConnection.open(edge.port);
      connection.send(bytes);
      const replies = await connection.responses(1, 3000, options.noBody === true);
      const all =
        replies.length > 0
          ? replies
          : [{ head: (await connection.drain()).toString('latin1'), body: Buffer.alloc(0) }];
      expect(all[0]?.head).toMatch(expected);
      if (options.closes) {
        await connection.drain();
        expect(connection.closed).toBe(true);
      }
      connection.close();
      expect(edge.stats.served).toBe(servedBefore);
      expect(edge.stats.handedOver).toBe(handedBefore + 1);
    });

    it('a head split across two reads', async () => {
      const servedBefore = edge.stats.served;
      const connection = await RawConnection.open(edge.port);
      const bytes = request('/text');
      connection.send(bytes.slice(0, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      connection.send(bytes.slice(10));
      const [reply] = await connection.responses(1);
      connection.close();
      expect(reply?.head).toMatch(/^HTTP\/1.1 200 /);
      expect(reply?.body.toString()).toBe(text);
      expect(edge.stats.served).toBe(servedBefore);
    });
  });
});

describe('fast path idle connections', () => {
  let origin: Origin;
  let edge: FastHitEdge;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
      res.end(`origin ${req.url}`);
    });
    edge = await startFastHitEdge([{ id: 'fast', hosts: ['fast.test'], origin: origin.url }]);
    // node:http's settings, which the fast path follows (read when used).
    edge.traffic.server.keepAliveTimeout = 1000;
    edge.traffic.server.headersTimeout = 1000;
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it('closes a kept-alive connection idle past keepAliveTimeout', async () => {
    const warm = await RawConnection.open(edge.port);
    warm.send(request('/idle'));
    await warm.responses(1);
    warm.close();
    const servedBefore = edge.stats.served;
    const connection = await RawConnection.open(edge.port);
    connection.send(request('/idle'));
    const [reply] = await connection.responses(1);
    expect(edge.stats.served).toBe(servedBefore + 1);
    expect(reply?.head).toMatch(/\r\nKeep-Alive: timeout=1\r\n/);
    const answeredAt = Date.now();
    await connection.drain(100, 0);
    while (!connection.closed && Date.now() - answeredAt < 5000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connection.closed).toBe(true);
    // One second of keep-alive, swept once a second.
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(900);
  });

  it('hands a connection that asks nothing to node:http after headersTimeout', async () => {
    const handedBefore = edge.stats.handedOver;
    const connection = await RawConnection.open(edge.port);
    const openedAt = Date.now();
    while (edge.stats.handedOver === handedBefore && Date.now() - openedAt < 5000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(edge.stats.handedOver).toBe(handedBefore + 1);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(900);
    // node:http has it now and answers on it.
    connection.send(request('/idle'));
    const [reply] = await connection.responses(1);
    connection.close();
    expect(reply?.body.toString()).toBe('origin /idle');
  });
});
