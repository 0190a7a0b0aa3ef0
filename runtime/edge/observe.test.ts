// The observer against a real prom-client registry and a real pino logger: requests are counted
// in plain numbers and must reach prom-client exactly when it collects; request lines must be
// pino-shaped JSON whatever the path holds.
import { Writable } from 'node:stream';
import { AggregatorRegistry, Registry, type RegistryContentType } from 'prom-client';
import type { RequestLogMode } from '../contract.ts';
import { createLogger } from '../lib/logger.ts';
import { registerMetrics } from '../lib/metrics.ts';
import { type CacheResult, createObserver } from './observe.ts';

function observerFor(requestLog: RequestLogMode) {
  const registry = new Registry();
  const metrics = registerMetrics(registry, [
    'edgeRequests',
    'edgeResponseBytes',
    'edgeOriginDuration',
    'edgeOriginErrors',
  ]);
  const written: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'info', role: 'edge', region: 'test', destination });
  const observer = createObserver(
    {
      requests: metrics.edgeRequests,
      responseBytes: metrics.edgeResponseBytes,
      originDuration: metrics.edgeOriginDuration,
      originErrors: metrics.edgeOriginErrors,
    },
    logger,
    requestLog,
  );
  const lines = () => {
    observer.flush();
    return written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { registry, observer, lines };
}

function served(site: string, status: number, cache: CacheResult, bytes: number, path = '/a') {
  return { site, method: 'GET', path, status, cache, bytes, startedAt: performance.now() };
}

async function requestCounts(
  registry: Registry<RegistryContentType>,
): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('edgeplane_edge_requests_total')?.get();
  const out: Record<string, number> = {};
  for (const { labels, value } of metric?.values ?? [])
    out[`${labels.site} ${labels.status} ${labels.cache}`] = value;
  return out;
}

describe('edge observer', () => {
  it('hands every request and byte to prom-client when it collects, and keeps the totals', async () => {
    const { registry, observer } = observerFor('off');
    observer.request(served('a', 200, 'hit', 100));
    observer.request(served('a', 200, 'hit', 50));
    observer.request(served('a', 304, 'revalidated', 0));
    observer.request(served('b', 503, 'error', 20));
    observer.request(served('b', 99, 'none', 0));
    expect(await requestCounts(registry)).toEqual({
      'a 2xx hit': 2,
      'a 3xx revalidated': 1,
      'b 5xx error': 1,
      'b other none': 1,
    });
    observer.request(served('a', 200, 'hit', 1));
    observer.request(served('a', 404, 'miss', 0));
    // Counters keep counting across collections: nothing is lost or counted twice.
    expect(await requestCounts(registry)).toEqual({
      'a 2xx hit': 3,
      'a 3xx revalidated': 1,
      'a 4xx miss': 1,
      'b 5xx error': 1,
      'b other none': 1,
    });
    const text = await registry.metrics();
    expect(text).toContain('edgeplane_edge_response_bytes_total{site="a"} 151');
    expect(text).toContain('edgeplane_edge_response_bytes_total{site="b"} 20');
  });

  it('is counted in the merge the primary makes from getMetricsAsJSON', async () => {
    const first = observerFor('off');
    const second = observerFor('off');
    first.observer.request(served('a', 200, 'hit', 10));
    second.observer.request(served('a', 200, 'hit', 5));
    second.observer.request(served('a', 200, 'miss', 5));
    const merged = AggregatorRegistry.aggregate([
      await first.registry.getMetricsAsJSON(),
      await second.registry.getMetricsAsJSON(),
    ]);
    expect(await requestCounts(merged)).toEqual({ 'a 2xx hit': 2, 'a 2xx miss': 1 });
    expect(await merged.metrics()).toContain('edgeplane_edge_response_bytes_total{site="a"} 20');
  });

  it('writes pino-shaped request lines, escaping what JSON must escape in the path', () => {
    const { observer, lines } = observerFor('all');
    const paths = [
      '/plain?x=1',
      '/quote"d',
      '/back\\slash',
      '/caf\u00e9',
      '/tab\there',
      '/\u{1f600}',
    ];
    for (const path of paths) observer.request(served('site "one"', 200, 'hit', 7, path));
    const logged = lines();
    expect(logged.map((line) => line.path)).toEqual(paths);
    expect(logged[0]).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      role: 'edge',
      region: 'test',
      site: 'site "one"',
      method: 'GET',
      path: '/plain?x=1',
      status: 200,
      cache: 'hit',
      bytes: 7,
      ms: expect.any(Number),
      msg: 'request',
    });
  });

  it('logs only 5xx answers with request logging on errors, and none when off', () => {
    const errors = observerFor('errors');
    errors.observer.request(served('a', 200, 'hit', 1, '/ok'));
    errors.observer.request(served('a', 502, 'error', 1, '/failed'));
    expect(errors.lines().map((line) => line.path)).toEqual(['/failed']);
    const off = observerFor('off');
    off.observer.request(served('a', 502, 'error', 1, '/failed'));
    expect(off.lines()).toEqual([]);
  });
});
