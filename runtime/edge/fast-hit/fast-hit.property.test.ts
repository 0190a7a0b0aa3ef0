// Random request bytes against the fast path: the edge never crashes, and whatever the fast path
// takes, node:http (same parser options as the traffic server) accepts as the same GET or HEAD.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import fc from 'fast-check';
import { type Origin, startOrigin } from '../../../test/edge/harness.ts';
import { maxHeaderBytes, maxHeaderCount } from '../traffic-server.ts';
import {
  type FastHitEdge,
  RawConnection,
  splitResponses,
  startFastHitEdge,
  withoutClock,
} from './testing.ts';

const warmed = ['/a', '/b?x=1', '/c'];
/** A request the full handler answers as a plain hit but the fast path never takes. */
const toNodeHttp = Buffer.from(
  'GET /a HTTP/1.1\r\nHost: fast.test\r\nX-Twice: 1\r\nX-Twice: 2\r\n\r\n',
);

describe('fast path on random request bytes', () => {
  let origin: Origin;
  let edge: FastHitEdge;
  let reference: Server;
  let referencePort = 0;
  let accepted: IncomingMessage[] = [];

  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
      // The body names the resource as the edge's cache key does ('/a?' and '/a#f' are '/a'): after
      // a generated POST invalidated '/a', the test refills it through whichever spelling the
      // sample used, and the refilled body must be the one the fast path answered with.
      const url = new URL(req.url ?? '/', 'http://fast.test');
      res.end(`origin ${url.pathname}${url.search}`);
    });
    edge = await startFastHitEdge([{ id: 'fast', hosts: ['fast.test'], origin: origin.url }]);
    const warm = await RawConnection.open(edge.port);
    warm.send(warmed.map((path) => `GET ${path} HTTP/1.1\r\nHost: fast.test\r\n\r\n`).join(''));
    await warm.responses(warmed.length);
    warm.close();
    // node:http as the traffic server configures it, answering every request it accepts.
    reference = createServer(
      {
        maxHeaderSize: maxHeaderBytes,
        insecureHTTPParser: false,
        requireHostHeader: true,
        keepAlive: true,
      },
      (req, res) => {
        accepted.push(req);
        res.end('ok');
      },
    );
    reference.maxHeadersCount = maxHeaderCount + 1;
    await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve));
    const address = reference.address();
    referencePort = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
    await new Promise<void>((resolve) => {
      reference.close(() => resolve());
      reference.closeAllConnections();
    });
  });

  const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
  const anyText = fc.string({ unit: 'binary-ascii', maxLength: 24 });
  const method = fc.oneof(
    { weight: 6, arbitrary: fc.constant('GET') },
    fc.constantFrom('HEAD', 'POST', 'get', 'GET ', ' GET', 'G\0T'),
    token,
  );
  const target = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...warmed) },
    fc.constantFrom('/a#f', '/a?', 'http://fast.test/a', '*', '/a b', '/\u00e9', '//a', '/a\t'),
    anyText,
  );
  const version = fc.oneof(
    { weight: 6, arbitrary: fc.constant('HTTP/1.1') },
    fc.constantFrom('HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'http/1.1', 'HTTP/1.1 ', 'HTTP/11'),
  );
  const name = fc.oneof(
    fc.constantFrom(
      'Host',
      'host',
      'Accept-Encoding',
      'Connection',
      'Content-Length',
      'Transfer-Encoding',
      'Cookie',
      'Range',
      'Expect',
      'X-A',
      'Host ',
      ' Host',
      'Ho st',
    ),
    token,
    anyText,
  );
  const value = fc.oneof(
    fc.constantFrom('fast.test', 'gzip', 'close', 'keep-alive', '0', '5', 'chunked', 'bytes=0-1'),
    fc.constantFrom(' fast.test ', 'fast.test\0', 'a\x7fb', 'caf\u00e9', 'a\r b'),
    anyText,
  );
  const lineEnd = fc.oneof(
    { weight: 12, arbitrary: fc.constant('\r\n') },
    fc.constantFrom('\n', '\r', '\r\r\n'),
  );
  const head = fc
    .record({
      method,
      target,
      version,
      host: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
      fields: fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.tuple(token, token), { maxLength: 3 }) },
        fc.array(fc.tuple(name, value), { maxLength: 6 }),
      ),
      eol: lineEnd,
      end: lineEnd,
    })
    .map(({ method, target, version, host, fields, eol, end }) => {
      const lines = [`${method} ${target} ${version}`];
      if (host) lines.push('Host: fast.test');
      for (const [field, text] of fields) lines.push(`${field}: ${text}`);
      return `${lines.join(eol)}${eol}${end}`;
    });
  const requestBytes = fc
    .tuple(
      fc.array(head, { minLength: 1, maxLength: 3 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant('') }, anyText),
    )
    .map(([heads, tail]) => Buffer.from(heads.join('') + tail, 'latin1'));

  /** What a server answers to `bytes` on a new connection: `count` responses, or until quiet. */
  async function exchange(port: number, bytes: Buffer, count?: number): Promise<Buffer> {
    const connection = await RawConnection.open(port);
    connection.send(bytes);
    if (count !== undefined) await connection.responses(count);
    const answer = count === undefined ? await connection.drain(25) : connection.bytes;
    connection.close();
    return answer;
  }

  it('never crashes, and takes only what node:http accepts as the same GET or HEAD', async () => {
    let servedInTotal = 0;
    await fc.assert(
      fc.asyncProperty(requestBytes, async (bytes) => {
        const servedBefore = edge.stats.served;
        const handledBefore = edge.stats.handled;
        const answer = await exchange(edge.port, bytes);
        const served = edge.stats.served - servedBefore;
        // Plain requests that were not fast hits, answered by the handler on the fast path.
        const handled = edge.stats.handled - handledBefore;
        servedInTotal += served;
        const onFastPath = served + handled;
        if (onFastPath > 0) {
          accepted = [];
          await exchange(referencePort, bytes);
          expect(accepted.length).toBeGreaterThanOrEqual(onFastPath);
          for (let i = 0; i < onFastPath; i++) {
            expect(accepted[i]?.method).toMatch(/^(GET|HEAD)$/);
            expect(accepted[i]?.httpVersion).toBe('1.1');
          }
        }
        // A HEAD answer has no body, which splitResponses cannot tell: compare GETs only.
        const onlyGets = accepted.slice(0, onFastPath).every((request) => request.method === 'GET');
        if (served > 0 && onlyGets) {
          // The first `onFastPath` answers are the fast path's. Each hit among them must be
          // what the full handler answers to the request as node:http read it (sent after a
          // request that puts the connection on node:http). Rebuilt from node:http's reading,
          // because node:http drops its answers to good requests when bad bytes follow them in
          // the same read.
          const fastAnswers = splitResponses(answer);
          let hits = 0;
          for (let i = 0; i < onFastPath; i++) {
            const fast = fastAnswers[i];
            if (!/\r\ncache-status: edgeplane; hit; ttl=/.test(fast?.head ?? '')) continue;
            hits++;
            const request = accepted[i];
            const raw = request?.rawHeaders ?? [];
            let rebuilt = `GET ${request?.url} HTTP/1.1\r\n`;
            for (let j = 0; j < raw.length; j += 2) rebuilt += `${raw[j]}: ${raw[j + 1]}\r\n`;
            // A generated POST after it may have invalidated the URL: fill it again first.
            await exchange(edge.port, Buffer.from(`${rebuilt}\r\n`, 'latin1'), 1);
            const full = await exchange(
              edge.port,
              Buffer.concat([toNodeHttp, Buffer.from(`${rebuilt}\r\n`, 'latin1')]),
              2,
            );
            const slow = splitResponses(full)[1];
            expect(withoutClock(fast?.head ?? '')).toBe(withoutClock(slow?.head ?? ''));
            expect(fast?.body.equals(slow?.body ?? Buffer.alloc(0))).toBe(true);
          }
          expect(hits).toBeGreaterThanOrEqual(served);
        }
        // Still answering (a generated POST may have invalidated /a: then it is a new fill).
        const check = await exchange(
          edge.port,
          Buffer.from('GET /a HTTP/1.1\r\nHost: fast.test\r\n\r\n'),
          1,
        );
        const [reply] = splitResponses(check);
        expect(reply?.head).toMatch(/^HTTP\/1.1 200 /);
        expect(reply?.body.toString()).toBe('origin /a');
      }),
      { numRuns: 150 },
    );
    // The generator reaches the fast path often enough for the property to say something: about
    // 50 fast hits in 150 runs (43-59 in 8 runs; one CI run had 30). A generator that stopped
    // reaching the fast path would fall far below 15.
    expect(servedInTotal).toBeGreaterThanOrEqual(15);
  });
});
