// The fast path's request scanner against llhttp (node:http's parser): every head it accepts,
// llhttp accepts as the same GET with the same target and fields; and the plain shapes it is
// meant for are accepted.
import fc from 'fast-check';
import { rawHeadersOf } from './fast-request.ts';
import { LlhttpHeadParser, methodGet, methodHead } from './llhttp-head.ts';
import { plainRequest } from './plain-request.ts';

const llhttp = new LlhttpHeadParser(16 * 1024);

function scan(text: string) {
  const buf = Buffer.from(text, 'latin1');
  return plainRequest(buf, 0, buf.length, 100);
}

describe('plainRequest', () => {
  it.each([
    ['GET /obj/1k HTTP/1.1\r\nHost: bench.edgeplane.test\r\n\r\n', '/obj/1k', {}],
    [
      'GET /a?b=1&c=%20 HTTP/1.1\r\nhost:x.test\r\nAccept-Encoding:  gzip, br \t\r\nX-Empty:\r\n\r\n',
      '/a?b=1&c=%20',
      { 'accept-encoding': 'gzip, br', 'x-empty': '' },
    ],
    [
      'GET / HTTP/1.1\r\nHost: x.test\r\nConnection: Keep-Alive\r\n\r\n',
      '/',
      { connection: 'Keep-Alive' },
    ],
  ])('reads %j', (text, target, fields) => {
    const request = scan(text);
    expect(request?.target).toBe(target);
    expect(request?.headers).toMatchObject(fields);
    expect(llhttp.parse(Buffer.from(text, 'latin1'))?.url).toBe(target);
  });

  it.each([
    ['a method other than GET and HEAD', 'POST / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: x\r\n\r\n'],
    ['no Host', 'GET / HTTP/1.1\r\nX: y\r\n\r\n'],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: x\r\nhost: x\r\n\r\n'],
    ['a fragment', 'GET /#a HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['absolute form', 'GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['obs-text in a value', 'GET / HTTP/1.1\r\nHost: x\r\nX: caf\u00e9\r\n\r\n'],
    ['a bare LF', 'GET / HTTP/1.1\nHost: x\r\n\r\n'],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n'],
    ['space before the colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
    ['Connection: close', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['Proxy-Connection', 'GET / HTTP/1.1\r\nHost: x\r\nProxy-Connection: close\r\n\r\n'],
    ['Content-Length', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'],
    ['Transfer-Encoding', 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['a name an Object has', 'GET / HTTP/1.1\r\nHost: x\r\nconstructor: 1\r\n\r\n'],
    ['bytes after the blank line', 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET'],
  ])('refuses %s', (_name, text) => {
    expect(scan(text)).toBeUndefined();
  });

  it.each([
    ['HEAD', 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n', 'HEAD'],
    ['If-None-Match', 'GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: "a"\r\n\r\n', 'GET'],
    ['Range', 'GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n', 'GET'],
    ['Cache-Control', 'GET / HTTP/1.1\r\nHost: x\r\nCache-Control: no-cache\r\n\r\n', 'GET'],
    ['Authorization', 'GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n\r\n', 'GET'],
  ])('takes %s for the handler, not as a plain hit', (_name, text, method) => {
    const request = scan(text);
    expect(request?.method).toBe(method);
    expect(request?.plainHit).toBe(false);
  });

  it('marks a GET without answer-changing fields as a plain hit candidate', () => {
    expect(scan('GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n')?.plainHit).toBe(true);
  });

  it('refuses more fields than the limit', () => {
    const fields = Array.from({ length: 100 }, (_, i) => `X-${i}: v\r\n`).join('');
    const head = Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\n${fields}\r\n`, 'latin1');
    expect(plainRequest(head, 0, head.length, 100)).toBeUndefined();
    expect(plainRequest(head, 0, head.length, 101)).toBeDefined();
  });

  it('accepts only what llhttp accepts, read as llhttp reads it', () => {
    const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
    const text = (chars: fc.Arbitrary<string>, max: number) =>
      fc.array(chars, { maxLength: max }).map((parts) => parts.join(''));
    const printable = fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c));
    const mostly = (good: fc.Arbitrary<string>) => fc.oneof({ weight: 8, arbitrary: good }, byte);
    const target = fc.oneof(
      fc.constantFrom('/a', '/b?x=1', '/'),
      text(mostly(printable), 12).map((t) => `/${t}`),
      text(byte, 8),
    );
    const name = fc.oneof(
      fc.constantFrom(
        'Host',
        'Accept',
        'Connection',
        'Cookie',
        'X-A',
        'Proxy-Connection',
        'If-None-Match',
        'Range',
      ),
      text(mostly(fc.constantFrom('a', 'B', '-', '_', '!', '~', '0')), 8),
      text(byte, 6),
    );
    const value = fc.oneof(
      fc.constantFrom('x.test', 'keep-alive', 'close', ' a ', '\ta\t', ''),
      text(mostly(fc.oneof(printable, fc.constant('\t'))), 12),
      text(byte, 6),
    );
    const eol = fc.oneof(
      { weight: 10, arbitrary: fc.constant('\r\n') },
      fc.constantFrom('\n', '\r', ' \r\n'),
    );
    const head = fc
      .record({
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant('GET') },
          fc.constantFrom('HEAD', 'get', 'GET ', 'HEAD ', 'POST'),
        ),
        target,
        version: fc.oneof(
          { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
          fc.constantFrom('HTTP/1.0', 'HTTP/1.1 '),
        ),
        host: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, fc.constant(false)),
        fields: fc.array(fc.tuple(name, fc.constantFrom(':', ': ', ' :', ':\t'), value), {
          maxLength: 5,
        }),
        eol,
      })
      .map(({ method, target, version, host, fields, eol }) => {
        const lines = [`${method} ${target} ${version}`];
        if (host) lines.push('Host: x.test');
        for (const [field, colon, text] of fields) lines.push(`${field}${colon}${text}`);
        return `${lines.join(eol)}${eol}\r\n`;
      });
    let accepted = 0;
    fc.assert(
      fc.property(head, (text) => {
        const request = scan(text);
        if (request === undefined) return;
        accepted++;
        const parsed = llhttp.parse(Buffer.from(text, 'latin1'));
        expect(parsed).toBeDefined();
        expect(parsed?.method).toBe(request.method === 'HEAD' ? methodHead : methodGet);
        expect(parsed?.versionMinor).toBe(1);
        expect(parsed?.keepAlive).toBe(true);
        expect(parsed?.url).toBe(request.target);
        const fields: Record<string, string> = {};
        const raw = parsed?.rawHeaders ?? [];
        for (let i = 0; i < raw.length; i += 2)
          fields[(raw[i] as string).toLowerCase()] = raw[i + 1] as string;
        expect(fields).toEqual(request.headers);
        // What FastRequest gives the handler as rawHeaders is llhttp's list, case and order kept.
        const bytes = Buffer.from(text, 'latin1');
        expect(rawHeadersOf(bytes, 0, bytes.length)).toEqual(raw);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
