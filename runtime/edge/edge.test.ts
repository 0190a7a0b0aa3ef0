// The edge against real origins on listen(0): routing, forwarding, caching basics.
import {
  get,
  type Origin,
  startOrigin,
  startTestEdge,
  type TestEdge,
} from '../../test/edge/harness.ts';

describe('edge basics', () => {
  let origin: Origin;
  let edge: TestEdge;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': 'max-age=60',
        etag: '"v1"',
      });
      res.end(`hello ${req.url}`);
    });
    edge = await startTestEdge([{ id: 'shop', hosts: ['shop.test'], origin: origin.url }]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it('answers an unknown host with 404 and a clear body', async () => {
    const reply = await get(edge.url, '/', { host: 'nope.test' });
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('no site is configured for host "nope.test"');
    expect(origin.requests).toHaveLength(0);
  });

  it('misses, stores, then hits', async () => {
    const first = await get(edge.url, '/a', { host: 'shop.test' });
    expect(first.status).toBe(200);
    expect(first.body).toBe('hello /a');
    expect(first.headers['cache-status']).toBe('edgeplane;fwd=uri-miss;fwd-status=200;stored');
    const second = await get(edge.url, '/a', { host: 'shop.test' });
    expect(second.body).toBe('hello /a');
    expect(second.headers['cache-status']).toMatch(/^edgeplane;hit;ttl=(59|60)$/);
    expect(second.headers.age).toMatch(/^[01]$/);
    expect(origin.requests.filter((r) => r.url === '/a')).toHaveLength(1);
  });
});
