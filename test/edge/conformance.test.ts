// Behaviours the HTTP cache conformance suite (cache-tests, docs/conformance.md) found missing,
// each reproduced here against a real origin on listen(0) and a real edge.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { get, type Origin, startOrigin, startTestEdge, type TestEdge } from './harness.ts';

describe('revalidation answered by a 304 without validators', () => {
  let origin: Origin;
  let edge: TestEdge;
  beforeAll(async () => {
    origin = await startOrigin((req: IncomingMessage, res: ServerResponse) => {
      const conditional =
        req.headers['if-none-match'] !== undefined ||
        req.headers['if-modified-since'] !== undefined;
      if (conditional) {
        // No ETag / Last-Modified in the 304, as the suite's origin (and many real ones) answer.
        res.writeHead(304, { 'cache-control': 'max-age=0', 'x-refreshed': 'yes' });
        res.end();
        return;
      }
      const validator: Record<string, string> =
        req.url === '/lm'
          ? { 'last-modified': 'Wed, 01 Jan 2020 00:00:00 GMT' }
          : { etag: '"abcdef"' };
      res.writeHead(200, {
        'cache-control': 'max-age=0',
        'content-type': 'text/plain',
        ...validator,
      });
      res.end(`body of ${req.url}`);
    });
    edge = await startTestEdge([{ id: 'v', hosts: ['v.test'], origin: origin.url }]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it.each([
    ['/etag', 'if-none-match', '"abcdef"'],
    ['/lm', 'if-modified-since', 'Wed, 01 Jan 2020 00:00:00 GMT'],
  ])('serves the stored %s response after one conditional request', async (path, field, value) => {
    const first = await get(edge.url, path, { host: 'v.test' });
    expect(first.status).toBe(200);
    const second = await get(edge.url, path, { host: 'v.test' });
    const seen = origin.requests.filter((request) => request.url === path);
    // One fill, one revalidation: no second, unconditional request after the 304.
    expect(seen).toHaveLength(2);
    expect(seen[1]?.headers[field]).toBe(value);
    expect(second.status).toBe(200);
    expect(second.body).toBe(`body of ${path}`);
    expect(second.headers['x-refreshed']).toBe('yes');
    expect(String(second.headers['cache-status'])).toMatch(/fwd-status=304/);
  });
});
