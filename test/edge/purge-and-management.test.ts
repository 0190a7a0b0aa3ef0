// Purges (URL, surrogate key, prefix, site; soft and hard) through the authenticated endpoint
// of the management port, and the port's probes and metrics.
import { metricNames } from '../../runtime/metrics-catalog.ts';
import {
  get,
  type Origin,
  purgeToken,
  startOrigin,
  startTestEdge,
  type TestEdge,
} from './harness.ts';

const host = { host: 'p.test' };

describe('purge and management port', () => {
  let origin: Origin;
  let edge: TestEdge;
  let version = 0;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      version++;
      const path = req.url ?? '/';
      const keys = path.startsWith('/products/') ? `product all-products` : 'page';
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': 'max-age=300, stale-while-revalidate=300',
        'surrogate-key': keys,
        'cache-tag': path === '/tagged' ? 'tag-a, tag-b' : 'none',
      });
      res.end(`${path} v${version}`);
    });
    edge = await startTestEdge([
      { id: 'p', hosts: ['p.test'], origin: origin.url },
      { id: 'other', hosts: ['other.test'], origin: origin.url },
      { id: 'sorted', hosts: ['sorted.test'], origin: origin.url, cache: { queryString: 'sort' } },
    ]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  const purge = (body: unknown, token = purgeToken) =>
    get(
      edge.managementUrl,
      '/purge',
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      'POST',
      JSON.stringify(body),
    );
  const status = async (path: string, h = host) =>
    String((await get(edge.url, path, h)).headers['cache-status']);
  const warm = async (...paths: string[]) => {
    for (const path of paths) await get(edge.url, path, host);
    for (const path of paths) expect(await status(path)).toMatch(/hit/);
  };

  it('refuses purges without the right bearer token, and bad bodies with the problem named', async () => {
    expect((await purge({ site: 'p', kind: 'all' }, 'wrong-token-0123456789')).status).toBe(401);
    expect((await get(edge.managementUrl, '/purge', {}, 'POST', '{}')).status).toBe(401);
    const bad = await purge({ site: 'p', kind: 'url', values: ['no-slash'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('values.0: must be a path starting with / or an http(s) URL');
    const notJson = await get(
      edge.managementUrl,
      '/purge',
      { authorization: `Bearer ${purgeToken}` },
      'POST',
      'nope',
    );
    expect(notJson.status).toBe(400);
    expect((await get(edge.managementUrl, '/purge', {})).status).toBe(405);
  });

  it('hard-purges one URL', async () => {
    await warm('/one', '/two');
    const reply = await purge({ site: 'p', kind: 'url', values: ['/one'], mode: 'hard' });
    expect(JSON.parse(reply.body)).toEqual({ purged: 1 });
    expect(await status('/one')).toMatch(/fwd=uri-miss/);
    expect(await status('/two')).toMatch(/hit/);
  });

  it('purges a URL given in any query order or as a full URL, as the site keys it', async () => {
    const sorted = { host: 'sorted.test' };
    await get(edge.url, '/list?a=1&b=2', sorted);
    await get(edge.url, '/full', sorted);
    expect(await status('/list?b=2&a=1', sorted)).toMatch(/hit/);
    const reply = await purge({
      site: 'sorted',
      kind: 'url',
      values: ['/list?b=2&a=1', 'https://sorted.test/full'],
    });
    expect(JSON.parse(reply.body)).toEqual({ purged: 2 });
    expect(await status('/list?a=1&b=2', sorted)).toMatch(/fwd=uri-miss/);
    expect(await status('/full', sorted)).toMatch(/fwd=uri-miss/);
  });

  it('hard-purges by surrogate key (Surrogate-Key and Cache-Tag) and hides the keys from clients', async () => {
    await warm('/products/1', '/products/2', '/tagged', '/plain');
    const reply = await get(edge.url, '/tagged', host);
    expect(reply.headers['surrogate-key']).toBeUndefined();
    expect(reply.headers['cache-tag']).toBeUndefined();
    expect(JSON.parse((await purge({ site: 'p', kind: 'key', values: ['product'] })).body)).toEqual(
      { purged: 2 },
    );
    expect(JSON.parse((await purge({ site: 'p', kind: 'key', values: ['tag-b'] })).body)).toEqual({
      purged: 1,
    });
    expect(await status('/products/1')).toMatch(/fwd=uri-miss/);
    expect(await status('/tagged')).toMatch(/fwd=uri-miss/);
    expect(await status('/plain')).toMatch(/hit/);
  });

  it('soft-purges by prefix: stale-while-revalidate applies, then the refreshed copy hits', async () => {
    await warm('/docs/a', '/docs/b', '/blog/a');
    const reply = await purge({ site: 'p', kind: 'prefix', values: ['/docs/'], mode: 'soft' });
    expect(JSON.parse(reply.body)).toEqual({ purged: 2 });
    const before = version;
    const stale = await get(edge.url, '/docs/a', host);
    expect(String(stale.headers['cache-status'])).toMatch(/stale-while-revalidate/);
    for (let i = 0; i < 50 && version === before; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    const fresh = await get(edge.url, '/docs/a', host);
    expect(fresh.body).toBe(`/docs/a v${before + 1}`);
    expect(await status('/blog/a')).toMatch(/hit/);
  });

  it('purges everything of one site and nothing of another', async () => {
    await warm('/x', '/y');
    await get(edge.url, '/x', { host: 'other.test' });
    expect(await status('/x', { host: 'other.test' })).toMatch(/hit/);
    await purge({ site: 'p', kind: 'all', mode: 'hard' });
    expect(await status('/x')).toMatch(/fwd=uri-miss/);
    expect(await status('/y')).toMatch(/fwd=uri-miss/);
    expect(await status('/x', { host: 'other.test' })).toMatch(/hit/);
  });

  it('answers the probes and exports catalogue metrics in Prometheus format', async () => {
    expect((await get(edge.managementUrl, '/livez')).status).toBe(200);
    expect((await get(edge.managementUrl, '/readyz')).status).toBe(200);
    const metrics = await get(edge.managementUrl, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const names = new Set(
      metrics.body
        .split('\n')
        .filter((line) => line.startsWith('# TYPE '))
        .map((line) => line.split(' ')[2]),
    );
    for (const name of names) expect(metricNames.has(String(name))).toBe(true);
    expect(metrics.body).toMatch(
      /edgeplane_edge_requests_total\{site="p",status="2xx",cache="hit"\} \d+/,
    );
    expect(metrics.body).toMatch(/edgeplane_edge_purges_total\{kind="key",mode="hard"\} 2/);
    expect(metrics.body).toMatch(/edgeplane_edge_cache_objects\{tier="memory"\} \d+/);
    expect(metrics.body).toMatch(/edgeplane_edge_origin_duration_seconds_count\{site="p"\} \d+/);
    expect(metrics.body).toMatch(/edgeplane_edge_response_bytes_total\{site="p"\} \d+/);
  });

  it('logs requests as JSON lines without credentials', async () => {
    await get(edge.url, '/logged', {
      ...host,
      authorization: 'Bearer do-not-log-me',
      cookie: 'sid=do-not-log-me',
    });
    await new Promise((r) => setTimeout(r, 50));
    const lines = edge.logs
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const line = lines.find((entry) => entry.path === '/logged');
    expect(line).toMatchObject({ msg: 'request', site: 'p', method: 'GET', status: 200 });
    expect(edge.logs.join('')).not.toContain('do-not-log-me');
  });
});
