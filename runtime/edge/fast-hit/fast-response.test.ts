// The handler's answers on a fast connection (FastRequest/FastResponse) against the same
// handler's answers through node:http: two single-process edges in front of one real origin,
// one with EDGEPLANE_FAST_HITS=off, each asked the same bytes; heads (less the clock) and
// bodies must be identical, for every shape a plain GET can get from the handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type Origin, startOrigin } from '../../../test/edge/harness.ts';
import {
  askOnce,
  type FastHitEdge,
  getRequest,
  RawConnection,
  type RawResponse,
  startFastHitEdge,
  startTestTrafficEdge,
  type TestTrafficEdge,
  withoutClock,
} from './testing.ts';

const text = 'compressible text '.repeat(200);
const big = Buffer.alloc(3 * 1024 * 1024, 'b');

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/cacheable': (req, res) => {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': 11,
      'cache-control': 'max-age=600',
      etag: '"c1"',
      'surrogate-key': 'k1 k2',
    });
    res.end(`cacheable ${req.url?.length ?? 0}`.slice(0, 11).padEnd(11, '.'));
  },
  '/stored': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': 10,
      'cache-control': 'max-age=600',
      etag: '"c1"',
      'last-modified': 'Wed, 25 Nov 2026 00:00:00 GMT',
    });
    res.end('0123456789');
  },
  '/chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
    res.write('{"part":');
    setTimeout(() => res.end('2}'), 5);
  },
  '/text': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'max-age=600',
      etag: '"t1"',
    });
    res.end(text);
  },
  '/no-store': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('not for caches');
  },
  '/cookies': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'cache-control': 'max-age=600',
      'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'],
      connection: 'close',
    });
    res.end('with cookies');
  },
  '/gone': (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
    res.end('gone');
  },
  '/empty': (_req, res) => {
    res.writeHead(204, { 'cache-control': 'max-age=60', 'x-why': 'nothing' });
    res.end();
  },
  '/hints': (_req, res) => {
    res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style' });
    res.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'max-age=60' });
    res.end('body{}');
  },
  '/big': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'video/mp4',
      'content-length': big.length,
      'cache-control': 'max-age=600',
    });
    res.end(big);
  },
  '/slow': (_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
      res.end('slow answer');
    }, 300);
  },
  '/echo': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(req.rawHeaders));
  },
  '/error': (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '3' });
    res.end('origin busy');
  },
};

const request = (path: string, lines: string[] = [], host = 'shapes.test') =>
  getRequest(host, path, lines);
const ask = askOnce;

describe('the handler on a fast connection writes what node:http writes', () => {
  let origin: Origin;
  let fast: FastHitEdge;
  let viaNode: TestTrafficEdge;
  let deadOrigin: string;

  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      const route = routes[(req.url ?? '').split('?')[0] ?? ''];
      if (route !== undefined) return route(req, res);
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
      res.end(`origin ${req.url}`);
    });
    // A port nothing listens on: the origin of a site whose origin is down.
    const probe = await startOrigin((_req, res) => res.end());
    deadOrigin = probe.url;
    await probe.close();
    const sites = [
      { id: 'shapes', hosts: ['shapes.test'], origin: origin.url },
      { id: 'down', hosts: ['down.test'], origin: deadOrigin },
    ];
    fast = await startFastHitEdge(sites);
    viaNode = await startTestTrafficEdge(sites, { EDGEPLANE_FAST_HITS: 'off' });
  });

  afterAll(async () => {
    await fast.close();
    await viaNode.close();
    await origin.close();
  });

  const shapes: [string, string][] = [
    ['a cacheable miss with Content-Length', request('/cacheable?n=1')],
    ['a miss the origin sends chunked', request('/chunked')],
    ['a miss compressed on the way (gzip, chunked)', request('/text', ['Accept-Encoding: gzip'])],
    ['a miss compressed on the way (br)', request('/text?br', ['Accept-Encoding: br'])],
    ['an uncacheable response (no-store)', request('/no-store')],
    ['Set-Cookie lines and the origin closing', request('/cookies')],
    ['a cacheable 404', request('/gone')],
    ['a 204 without a body', request('/empty')],
    ['103 Early Hints before the answer', request('/hints')],
    ['an origin 503', request('/error')],
    ['an unknown Host', request('/x', [], 'nowhere.test')],
    ['an origin that refuses connections', request('/x', [], 'down.test')],
    [
      'forwarded fields as sent',
      request('/echo', ['X-Forwarded-For: 203.0.113.9', 'Via: 1.0 ingress', 'Accept: */*']),
    ],
  ];

  it.each(shapes)('%s', async (_name, bytes) => {
    const handledBefore = fast.stats.handled;
    const count = bytes.includes('/hints') ? 2 : 1;
    const [viaNodeReplies, fastReplies] = await Promise.all([
      ask(viaNode.port, bytes, count),
      ask(fast.port, bytes, count),
    ]);
    expect(fastReplies).toHaveLength(count);
    expect(viaNodeReplies).toHaveLength(count);
    for (let i = 0; i < count; i++) {
      const expected = viaNodeReplies[i] as RawResponse;
      const got = fastReplies[i] as RawResponse;
      expect(withoutClock(got.head)).toBe(withoutClock(expected.head));
      expect(got.body.equals(expected.body)).toBe(true);
    }
    expect(fast.stats.handled).toBe(handledBefore + 1);
  });

  // Asked after a plain GET stored the object on both edges.
  const onStored: [string, string, string][] = [
    ['If-None-Match matching (304)', '/stored?a', 'If-None-Match: "c1"'],
    [
      'If-Modified-Since in the future (304)',
      '/stored?b',
      'If-Modified-Since: Sun, 01 Jan 2090 00:00:00 GMT',
    ],
    ['If-None-Match not matching (200)', '/stored?c', 'If-None-Match: "other"'],
    ['a Range (206)', '/stored?d', 'Range: bytes=2-5'],
    ['two Ranges (multipart 206)', '/stored?e', 'Range: bytes=0-1, 4-6'],
    ['an unsatisfiable Range (416)', '/stored?f', 'Range: bytes=500-600'],
    ['request Cache-Control: no-cache (revalidated)', '/stored?g', 'Cache-Control: no-cache'],
    ['request Cache-Control: max-stale', '/stored?h', 'Cache-Control: max-stale=60'],
    ['Pragma: no-cache', '/stored?i', 'Pragma: no-cache'],
    ['Authorization (forwarded, not from cache)', '/stored?j', 'Authorization: Bearer x'],
    ['only-if-cached on a stored object', '/stored?k', 'Cache-Control: only-if-cached'],
  ];

  it.each(onStored)('%s', async (_name, path, field) => {
    await Promise.all([ask(viaNode.port, request(path)), ask(fast.port, request(path))]);
    const handledBefore = fast.stats.handled;
    const bytes = request(path, [field]);
    const [[expected], [got]] = await Promise.all([
      ask(viaNode.port, bytes),
      ask(fast.port, bytes),
    ]);
    expect(got).toBeDefined();
    expect(withoutClock(got?.head ?? '')).toBe(withoutClock(expected?.head ?? ''));
    expect(got?.body.equals(expected?.body ?? Buffer.alloc(0))).toBe(true);
    expect(fast.stats.handled).toBe(handledBefore + 1);
  });

  it.each([
    ['HEAD of a stored object', '/stored?head1', true],
    ['HEAD of a miss', '/stored?head2', false],
    ['HEAD of a chunked miss', '/chunked?head3', false],
  ])('%s', async (_name, path, prime) => {
    if (prime) await Promise.all([ask(viaNode.port, request(path)), ask(fast.port, request(path))]);
    const bytes = `HEAD ${path} HTTP/1.1\r\nHost: shapes.test\r\n\r\n`;
    const read = async (port: number) => {
      const connection = await RawConnection.open(port);
      connection.send(bytes);
      const [reply] = await connection.responses(1, 5000, true);
      // Nothing may follow the head of a HEAD answer.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const extra = connection.bytes.length - (reply?.head.length ?? 0);
      connection.close();
      return { head: reply?.head ?? '', extra };
    };
    const [expected, got] = await Promise.all([read(viaNode.port), read(fast.port)]);
    expect(withoutClock(got.head)).toBe(withoutClock(expected.head));
    expect(got.head).toMatch(/^HTTP\/1.1 200 /);
    expect(got.extra).toBe(0);
    expect(expected.extra).toBe(0);
  });

  it('streams a 3 MB miss to a slow reader without losing bytes, then serves it as a hit', async () => {
    const socket = connect(fast.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(request('/big'));
    socket.pause();
    // Let the edge hit backpressure before reading.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.resume();
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        const got = Buffer.concat(chunks);
        const headEnd = got.indexOf('\r\n\r\n');
        if (headEnd !== -1 && got.length - headEnd - 4 >= big.length) {
          clearInterval(check);
          resolve();
        }
      }, 10);
      setTimeout(() => {
        clearInterval(check);
        reject(new Error('the 3 MB answer did not arrive'));
      }, 10_000);
    });
    socket.destroy();
    const got = Buffer.concat(chunks);
    const headEnd = got.indexOf('\r\n\r\n');
    expect(got.subarray(headEnd + 4).equals(big)).toBe(true);
    const servedBefore = fast.stats.served;
    const [hit] = await ask(fast.port, request('/big'));
    expect(hit?.body.equals(big)).toBe(true);
    expect(fast.stats.served).toBe(servedBefore + 1);
  });

  it('decompresses to what the origin sent', async () => {
    const [reply] = await ask(fast.port, request('/text?gz', ['Accept-Encoding: gzip']));
    expect(reply?.head).toMatch(/\r\ncontent-encoding: gzip\r\n/i);
    expect(gunzipSync(reply?.body ?? Buffer.alloc(0)).toString()).toBe(text);
  });

  it('answers pipelined misses in order, each once', async () => {
    const before = origin.requests.length;
    const replies = await ask(
      fast.port,
      request('/p?1') + request('/cacheable?p') + request('/p?2') + request('/p?1'),
      4,
    );
    expect(replies.map((reply) => reply.body.toString())).toEqual([
      'origin /p?1',
      'cacheable 1',
      'origin /p?2',
      'origin /p?1',
    ]);
    // The last one was a hit on the first one's fill.
    expect(origin.requests.length - before).toBe(3);
  });

  it('reads on after pausing for more than 64 KiB sent ahead of a slow answer', async () => {
    const connection = await RawConnection.open(fast.port);
    // Large requests with small answers: the answers never fill the socket, so no 'drain'
    // resumes reading; the connection itself must.
    const ahead = request('/cacheable?ahead', [`X-Pad: ${'p'.repeat(4000)}`]).repeat(20);
    expect(ahead.length).toBeGreaterThan(64 * 1024);
    connection.send(request('/slow?ahead') + ahead);
    const replies = await connection.responses(21, 15_000);
    expect(replies).toHaveLength(21);
    expect(replies[0]?.body.toString()).toBe('slow answer');
    expect(replies[20]?.head).toMatch(/^HTTP\/1.1 200 /);
    // The connection reads again: a request sent after all that is answered too.
    connection.send(request('/cacheable?after'));
    const all = await connection.responses(22, 5000);
    connection.close();
    expect(all).toHaveLength(22);
  });

  it('stops after the answer when the client half-closes while a miss is in flight', async () => {
    const socket = connect(fast.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.end(request('/chunked?half'));
    await new Promise<void>((resolve) => socket.once('close', resolve));
    const got = Buffer.concat(chunks).toString('latin1');
    expect(got).toMatch(/^HTTP\/1.1 200 OK/);
    expect(got.endsWith('0\r\n\r\n')).toBe(true);
  });

  it('finishes an answer in progress before closeIdleConnections ends the connection', async () => {
    const connection = await RawConnection.open(fast.port);
    connection.send(request('/slow'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    fast.traffic.server.closeIdleConnections();
    const [reply] = await connection.responses(1);
    expect(reply?.body.toString()).toBe('slow answer');
    await connection.drain();
    expect(connection.closed).toBe(true);
  });

  it('logs the handler answers as node:http would (status, cache result, bytes)', async () => {
    const logsBefore = fast.logs.length;
    await ask(fast.port, request('/cacheable?log'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Request lines are batched: flush them.
    fast.traffic.ctx.observer.flush();
    const lines = fast.logs
      .slice(logsBefore)
      .join('')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line));
    const entry = lines.find((line) => line.path === '/cacheable?log');
    expect(entry).toMatchObject({ status: 200, cache: 'miss', bytes: 11 });
  });
});
