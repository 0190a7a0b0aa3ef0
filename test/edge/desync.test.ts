// Request smuggling and header limits on the traffic port. Node's parser (llhttp, strict mode)
// refuses these shapes itself; the tests pin that down so an upgrade or a lenient flag cannot
// slip through, and check the edge's own limit on the header count.
import {
  get,
  type Origin,
  rawRequest,
  startOrigin,
  startTestEdge,
  type TestEdge,
} from './harness.ts';

describe('desync shapes and header limits', () => {
  let origin: Origin;
  let edge: TestEdge;
  beforeAll(async () => {
    origin = await startOrigin((_req, res, body) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`got ${body.length}`);
    });
    edge = await startTestEdge([{ id: 'd', hosts: ['d.test'], origin: origin.url }]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });
  beforeEach(() => {
    origin.requests.length = 0;
  });

  const shapes: [string, string][] = [
    [
      'Content-Length with Transfer-Encoding',
      'POST / HTTP/1.1\r\nHost: d.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'two different Content-Lengths',
      'POST / HTTP/1.1\r\nHost: d.test\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde',
    ],
    [
      'a Transfer-Encoding that does not end in chunked',
      'POST / HTTP/1.1\r\nHost: d.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
    ],
    ['an obs-folded header', 'GET / HTTP/1.1\r\nHost: d.test\r\nX-A: a\r\n b\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost: d.test\r\nContent-Length : 0\r\n\r\n'],
    ['a bare LF line ending', 'GET / HTTP/1.1\nHost: d.test\n\n'],
    ['no Host header', 'GET / HTTP/1.1\r\n\r\n'],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: d.test\r\nHost: e.test\r\n\r\n'],
    [
      'a bad chunk size',
      'POST / HTTP/1.1\r\nHost: d.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    ],
  ];

  it.each(shapes)('refuses %s with 400 and forwards nothing', async (_name, text) => {
    const reply = await rawRequest(edge.trafficPort, text);
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect(origin.requests).toHaveLength(0);
  });

  it('refuses request headers over 16 KiB with 431', async () => {
    const reply = await rawRequest(
      edge.trafficPort,
      `GET / HTTP/1.1\r\nHost: d.test\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1.1 431/);
    expect(origin.requests).toHaveLength(0);
  });

  it('refuses more than 100 request headers with 431 instead of dropping some', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
    const reply = await rawRequest(
      edge.trafficPort,
      `GET / HTTP/1.1\r\nHost: d.test\r\n${many}\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1.1 431/);
    expect(origin.requests).toHaveLength(0);
  });

  it('forwards a well-formed chunked body intact', async () => {
    const reply = await rawRequest(
      edge.trafficPort,
      'POST / HTTP/1.1\r\nHost: d.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1.1 200/);
    expect(reply).toContain('got 5');
    expect(origin.requests[0]?.body).toBe('abcde');
  });

  it('does not let a pipelined second request ride inside the first body', async () => {
    const smuggle =
      'POST / HTTP/1.1\r\nHost: d.test\r\nContent-Length: 0\r\n\r\n' +
      'GET /second HTTP/1.1\r\nHost: d.test\r\nConnection: close\r\n\r\n';
    const reply = await rawRequest(edge.trafficPort, smuggle);
    expect(reply.match(/HTTP\/1.1 200/g)).toHaveLength(2);
    expect(origin.requests.map((r) => r.url)).toEqual(['/', '/second']);
    expect(origin.requests[0]?.body).toBe('');
  });

  it('still serves normally afterwards', async () => {
    expect((await get(edge.url, '/', { host: 'd.test' })).status).toBe(200);
  });
});
